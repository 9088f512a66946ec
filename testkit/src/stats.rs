//! Summary statistics the benchmark reports share.

/// The median of `values`: the middle one of an odd count, the mean of the middle two of an
/// even count, NaN when there are none (NaNs among the values sort last).
///
/// # Examples
///
/// ```
/// use rr_testkit::median;
///
/// assert_eq!(median([3.0, 1.0, 2.0]), 2.0);
/// assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), 2.5);
/// assert!(median(std::iter::empty()).is_nan());
/// ```
pub fn median(values: impl IntoIterator<Item = f64>) -> f64 {
    let mut v: Vec<f64> = values.into_iter().collect();
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    if v.len() % 2 == 1 {
        v[mid]
    } else {
        (v[mid - 1] + v[mid]) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn one_value_is_its_own_median() {
        assert_eq!(median([7.5]), 7.5);
    }

    #[test]
    fn order_does_not_matter() {
        assert_eq!(median([9.0, -1.0, 4.0, 4.0, 0.0]), 4.0);
    }
}
