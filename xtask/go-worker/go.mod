module github.com/rr-rs/rr-rs/xtask/go-worker

go 1.25.0

require (
	github.com/roadrunner-server/api/v4 v4.24.0
	github.com/roadrunner-server/goridge/v3 v3.8.3
	google.golang.org/protobuf v1.36.11
)

require github.com/roadrunner-server/errors v1.4.0 // indirect
