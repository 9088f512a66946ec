//! User story 1: a whole RoadRunner worker in five lines. `serve` runs the closure for every
//! request; rr owns the sockets, HTTP/2, TLS and the worker processes.
//!
//! Run it with `cargo xtask demo hello`, then try `curl http://127.0.0.1:8080/`.

fn main() -> Result<(), rr_http::Error> {
    rr_http::serve(|_req: http::Request<rr_http::Body>| {
        http::Response::new(rr_http::Body::from("Hello RoadRunner!"))
    })
}
