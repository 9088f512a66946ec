//! [`QueryLimits`]: PHP's `max_input_vars` and `max_input_nesting_level` for the query parser,
//! configurable, and a report of what they dropped.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::query::parse_with;
use super::tree::Params;

/// PHP's default `max_input_vars`: pairs after the first 1000 are ignored.
pub const MAX_INPUT_VARS: usize = 1000;

/// PHP's default `max_input_nesting_level`: a name with more bracket groups
/// is dropped (and removes an existing variable of the same base name).
pub const MAX_NESTING_LEVEL: usize = 64;

/// The limits of the query parser, PHP's `max_input_vars` and `max_input_nesting_level`:
/// pairs after the first `max_input_vars` are ignored, and a name nested deeper than
/// `max_nesting_level` bracket groups is dropped (removing the variable of its base name, as
/// PHP does). They bound the work a hostile query can cause. The defaults are PHP's, 1000
/// and 64.
///
/// rr-http's `RequestExt::query` (and `query_as`) parses under the limits of a `QueryLimits`
/// request extension, else under the process-wide ones ([`set_global`](QueryLimits::set_global));
/// when a request exceeds them it logs one line to stderr (rr's log), the first time for each
/// limit, instead of dropping data without a word.
///
/// ```
/// use rr_params::QueryLimits;
///
/// let limits = QueryLimits::default().with_max_input_vars(2);
/// let (params, report) = limits.parse("a=1&b=2&c=3&d=4");
/// assert_eq!(params.len(), 2);
/// assert_eq!(report.skipped_vars(), 2);
/// assert!(report.exceeded());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryLimits {
    max_input_vars: usize,
    max_nesting_level: usize,
}

impl Default for QueryLimits {
    /// PHP's defaults, [`QueryLimits::PHP`].
    fn default() -> Self {
        Self::PHP
    }
}

static GLOBAL_VARS: AtomicUsize = AtomicUsize::new(MAX_INPUT_VARS);
static GLOBAL_NESTING: AtomicUsize = AtomicUsize::new(MAX_NESTING_LEVEL);

impl QueryLimits {
    /// PHP's defaults: 1000 variables, 64 levels.
    pub const PHP: Self = Self {
        max_input_vars: MAX_INPUT_VARS,
        max_nesting_level: MAX_NESTING_LEVEL,
    };

    /// With at most `n` pairs read (PHP's `max_input_vars`).
    ///
    /// ```
    /// let limits = rr_params::QueryLimits::default().with_max_input_vars(5000);
    /// assert_eq!(limits.max_input_vars(), 5000);
    /// ```
    pub fn with_max_input_vars(mut self, n: usize) -> Self {
        self.max_input_vars = n;
        self
    }

    /// With names of at most `n` bracket groups (PHP's `max_input_nesting_level`).
    ///
    /// ```
    /// let limits = rr_params::QueryLimits::default().with_max_nesting_level(2);
    /// let (params, report) = limits.parse("a[b][c]=1&x[y][z][w]=2");
    /// assert!(params.get_path(&["a", "b", "c"]).is_some());
    /// assert!(params.get("x").is_none());
    /// assert_eq!(report.too_deep(), 1);
    /// ```
    pub fn with_max_nesting_level(mut self, n: usize) -> Self {
        self.max_nesting_level = n;
        self
    }

    /// How many pairs are read.
    ///
    /// ```
    /// assert_eq!(rr_params::QueryLimits::PHP.max_input_vars(), 1000);
    /// ```
    pub fn max_input_vars(&self) -> usize {
        self.max_input_vars
    }

    /// How many bracket groups a name may have.
    ///
    /// ```
    /// assert_eq!(rr_params::QueryLimits::PHP.max_nesting_level(), 64);
    /// ```
    pub fn max_nesting_level(&self) -> usize {
        self.max_nesting_level
    }

    /// Parses `raw` like [`parse_query`](super::parse_query) under these limits, and says
    /// what they dropped. Logs nothing.
    ///
    /// ```
    /// use rr_params::QueryLimits;
    ///
    /// let (params, report) = QueryLimits::PHP.parse("a[]=1&a[]=2");
    /// assert_eq!(params.get("a").map(|a| a.len()), Some(2));
    /// assert!(!report.exceeded());
    /// ```
    pub fn parse(&self, raw: &str) -> (Params, LimitReport) {
        parse_with(raw, self)
    }

    /// Makes these the process-wide limits, [`global`](QueryLimits::global): the ones rr-http's
    /// `RequestExt::query` uses for requests without a `QueryLimits` extension. Call it at
    /// start-up.
    ///
    /// ```
    /// use rr_params::QueryLimits;
    ///
    /// QueryLimits::PHP.with_max_input_vars(10_000).set_global();
    /// assert_eq!(QueryLimits::global().max_input_vars(), 10_000);
    /// # QueryLimits::PHP.set_global();
    /// ```
    pub fn set_global(self) {
        GLOBAL_VARS.store(self.max_input_vars, Ordering::Relaxed);
        GLOBAL_NESTING.store(self.max_nesting_level, Ordering::Relaxed);
    }

    /// The limits set with [`set_global`](QueryLimits::set_global); PHP's by default.
    ///
    /// ```
    /// assert_eq!(rr_params::QueryLimits::global().max_nesting_level(), 64);
    /// ```
    pub fn global() -> Self {
        Self {
            max_input_vars: GLOBAL_VARS.load(Ordering::Relaxed),
            max_nesting_level: GLOBAL_NESTING.load(Ordering::Relaxed),
        }
    }
}

/// What [`QueryLimits`] dropped from one query string.
///
/// ```
/// use rr_params::QueryLimits;
///
/// let deep = format!("a{}=1", "[x]".repeat(65));
/// let (_, report) = QueryLimits::PHP.parse(&deep);
/// assert_eq!((report.skipped_vars(), report.too_deep()), (0, 1));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LimitReport {
    pub(crate) skipped_vars: usize,
    pub(crate) too_deep: usize,
}

impl LimitReport {
    /// Pairs not read because of `max_input_vars`.
    ///
    /// ```
    /// let (_, report) = rr_params::QueryLimits::PHP.with_max_input_vars(1).parse("a&b&c");
    /// assert_eq!(report.skipped_vars(), 2);
    /// ```
    pub fn skipped_vars(&self) -> usize {
        self.skipped_vars
    }

    /// Names dropped because of `max_input_nesting_level`.
    ///
    /// ```
    /// let (_, report) = rr_params::QueryLimits::PHP.with_max_nesting_level(0).parse("a[b]=1");
    /// assert_eq!(report.too_deep(), 1);
    /// ```
    pub fn too_deep(&self) -> usize {
        self.too_deep
    }

    /// Whether anything was dropped.
    ///
    /// ```
    /// let (_, report) = rr_params::QueryLimits::PHP.parse("a=1");
    /// assert!(!report.exceeded());
    /// ```
    pub fn exceeded(&self) -> bool {
        self.skipped_vars > 0 || self.too_deep > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_query;

    fn many(n: usize) -> String {
        (0..n)
            .map(|i| format!("v{i}={i}"))
            .collect::<Vec<_>>()
            .join("&")
    }

    #[test]
    fn php_limits_parse_like_parse_query_and_report_what_they_drop() {
        let raw = format!("{}&deep{}=1", many(1200), "[x]".repeat(65));
        let (params, report) = QueryLimits::PHP.parse(&raw);
        assert_eq!(params, parse_query(&raw));
        assert_eq!(params.len(), 1000);
        assert_eq!((report.skipped_vars(), report.too_deep()), (201, 0));
        let (params, report) = QueryLimits::PHP.with_max_input_vars(2000).parse(&raw);
        assert_eq!(params.len(), 1200, "the deep name is dropped");
        assert_eq!((report.skipped_vars(), report.too_deep()), (0, 1));
        let (params, report) = QueryLimits::PHP
            .with_max_input_vars(2000)
            .with_max_nesting_level(100)
            .parse(&raw);
        assert_eq!(params.len(), 1201);
        assert!(!report.exceeded());
        // Empty pairs are not variables; pairs dropped for other reasons still count.
        let (_, report) = QueryLimits::PHP.with_max_input_vars(1).parse("&&a=1&&=x&");
        assert_eq!(report.skipped_vars(), 1);
    }
}
