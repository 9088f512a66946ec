//! The hello worker as an axum `Router` served through the tower front door
//! (`rr_http::serve_service`); `cargo xtask bench --worker rust-axum` and `bench pipes --with
//! rust-axum` measure it against the sync `serve`. Every path answers, as in the hello example.

use axum::Router;
use axum::routing::get;

fn main() -> Result<(), rr_http::Error> {
    let app = Router::new().fallback(get(|| async { "Hello RoadRunner!" }));
    rr_http::serve_service(app)
}
