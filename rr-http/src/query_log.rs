//! A request's query parsed under its [`QueryLimits`], logging the first request of the process
//! that exceeds each limit, so that nothing is dropped without a word in rr's log.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::params::{Params, QueryLimits};

static LOGGED_VARS: AtomicBool = AtomicBool::new(false);
static LOGGED_NESTING: AtomicBool = AtomicBool::new(false);

/// [`QueryLimits::parse`] of `raw`, logging (once per process and limit) what the limits
/// dropped.
pub(crate) fn parse_logged(limits: &QueryLimits, raw: &str) -> Params {
    let (params, report) = limits.parse(raw);
    if report.skipped_vars() > 0 && !LOGGED_VARS.swap(true, Ordering::Relaxed) {
        rr_worker::log!(
            "rr-http: a query string had more than {} variables; {} were ignored (as PHP's max_input_vars does). \
             Raise the limit with rr_http::params::QueryLimits. Logged once per process.",
            limits.max_input_vars(),
            report.skipped_vars()
        );
    }
    if report.too_deep() > 0 && !LOGGED_NESTING.swap(true, Ordering::Relaxed) {
        rr_worker::log!(
            "rr-http: a query string had {} names nested deeper than {} levels; they were dropped \
             (as PHP's max_input_nesting_level does). Raise the limit with \
             rr_http::params::QueryLimits. Logged once per process.",
            report.too_deep(),
            limits.max_nesting_level()
        );
    }
    params
}
