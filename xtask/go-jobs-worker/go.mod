module github.com/rr-rs/rr-rs/xtask/go-jobs-worker

go 1.25.0

require github.com/roadrunner-server/goridge/v3 v3.8.3

require github.com/roadrunner-server/errors v1.4.0 // indirect
