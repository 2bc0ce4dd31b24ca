//! Summary statistics of incident spans: mean, median, p90.
//!
//! Incident durations are heavily skewed (a few long incidents dominate the
//! mean), so the median and p90 are shown beside the mean.
//!
//! Percentiles use linear interpolation between closest ranks (Hyndman and
//! Fan type 7; the default of NumPy, R and spreadsheet `PERCENTILE.INC`):
//! for sorted values x[0..n], the p-th percentile is at rank h = (n - 1) * p,
//! x[floor(h)] + (h - floor(h)) * (x[floor(h) + 1] - x[floor(h)]).
//! With n = 1 every statistic is that one value.

/// Fewer incidents than this and the numbers mean little; the UI says so.
pub const SMALL_N: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub n: usize,
    pub mean: f64,
    pub median: f64,
    pub p90: f64,
    pub min: f64,
    pub max: f64,
    /// How many values are negative (e.g. detection before the stated start).
    pub negative: usize,
}

/// The p-th percentile (0 <= p <= 1) of sorted values; `None` when empty.
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let h = (sorted.len() - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

/// Mean, median, p90, min and max of the values; `None` when there are none.
pub fn summarize(values: &[f64]) -> Option<Summary> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    Some(Summary {
        n,
        mean: v.iter().sum::<f64>() / n as f64,
        median: percentile(&v, 0.5)?,
        p90: percentile(&v, 0.9)?,
        min: v[0],
        max: v[n - 1],
        negative: v.iter().filter(|x| **x < 0.0).count(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-9, "{a} != {b}");
    }

    #[test]
    fn empty_set_has_no_statistics() {
        assert_eq!(summarize(&[]), None);
        assert_eq!(percentile(&[], 0.5), None);
    }

    #[test]
    fn one_value_is_every_statistic() {
        let s = summarize(&[42.0]).unwrap();
        assert_eq!((s.n, s.mean, s.median, s.p90, s.min, s.max), (1, 42.0, 42.0, 42.0, 42.0, 42.0));
    }

    #[test]
    fn hand_computed_skewed_set() {
        // Minutes: 1, 3, 9, 56, 1058 (sorted). Mean = 1127 / 5 = 225.4.
        // Median = rank 2 = 9. p90: h = 4 * 0.9 = 3.6 -> 56 + 0.6 * (1058 - 56) = 657.2.
        let s = summarize(&[56.0, 1.0, 1058.0, 9.0, 3.0]).unwrap();
        close(s.mean, 225.4);
        close(s.median, 9.0);
        close(s.p90, 657.2);
        assert_eq!(s.negative, 0);
    }

    #[test]
    fn even_count_median_interpolates() {
        // 0, 7, 17, 69: median h = 1.5 -> 7 + 0.5 * 10 = 12; p90 h = 2.7 -> 17 + 0.7 * 52 = 53.4.
        let s = summarize(&[69.0, 0.0, 17.0, 7.0]).unwrap();
        close(s.median, 12.0);
        close(s.p90, 53.4);
        close(s.mean, 23.25);
    }

    #[test]
    fn negative_spans_are_kept_and_counted() {
        // -3, 0, 1, 216: mean 53.5, median 0.5.
        let s = summarize(&[-3.0, 216.0, 0.0, 1.0]).unwrap();
        close(s.mean, 53.5);
        close(s.median, 0.5);
        assert_eq!(s.negative, 1);
        assert_eq!(s.min, -3.0);
    }

    #[test]
    fn non_finite_values_are_ignored() {
        assert_eq!(summarize(&[f64::NAN]).map(|s| s.n), None);
        assert_eq!(summarize(&[1.0, f64::INFINITY]).unwrap().n, 1);
    }
}
