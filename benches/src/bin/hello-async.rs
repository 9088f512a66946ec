//! The hello worker on the async path: `rr_http::serve_fn` runs an async closure on a
//! current-thread runtime (`cargo xtask bench --worker rust-async` and `bench pipes --with
//! rust-async` measure it against the sync `serve`).

use http::{Request, Response};
use rr_http::{Body, HttpError};

fn main() -> Result<(), rr_http::Error> {
    rr_http::serve_fn(hello)
}

async fn hello(_req: Request<Body>) -> Result<Response<Body>, HttpError> {
    Ok(Response::new(Body::from("Hello RoadRunner!")))
}
