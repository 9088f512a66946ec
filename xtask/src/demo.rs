pub(crate) fn run(_: &[String]) -> crate::Result {
    Err("demo: not yet".into())
}
