//! Starting rr for a benchmark run and reading its workers' CPU time and memory: the test
//! kit's launcher (`rr_testkit::rr::process`), the one place that spawns rr.

pub(crate) use rr_testkit::rr::RrProcess;
pub(crate) use rr_testkit::rr::process::{
    config, cpu_ticks, free_addr, own_cpu_ticks, peak_rss_kib, ticks_per_sec,
};
