//! [`Iter`]: the iterator over the entries of a [`ParamMap`](super::ParamMap).

use super::key::Key;
use super::tree::Params;

/// Iterator over `(&Key, &Params)` pairs, from [`Params::iter`] or [`ParamMap::iter`](crate::ParamMap::iter).
#[derive(Debug, Clone)]
pub struct Iter<'a> {
    inner: std::slice::Iter<'a, (Key, Params)>,
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a Key, &'a Params);
    fn next(&mut self) -> Option<Self::Item> {
        self.inner.next().map(|(k, v)| (k, v))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.inner.next_back().map(|(k, v)| (k, v))
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl Default for Iter<'_> {
    /// An empty iterator.
    fn default() -> Self {
        Iter { inner: [].iter() }
    }
}

impl<'a> Iter<'a> {
    pub(super) fn new(inner: std::slice::Iter<'a, (Key, Params)>) -> Self {
        Self { inner }
    }
}
