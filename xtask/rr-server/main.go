// Command rr is the RoadRunner server the rr-rs project tests against.
//
// It embeds the RoadRunner plugins we need through their Go modules (pinned by
// go.sum) instead of `go install`ing the upstream CLI, whose go.mod carries
// exclude directives that make `go install` fail. `cargo xtask rr` builds it.
//
// Usage: rr [-c .rr.yaml] [-w workdir] [-o key=value ...] serve
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/roadrunner-server/amqp/v5"
	"github.com/roadrunner-server/beanstalk/v5"
	"github.com/roadrunner-server/boltdb/v5"
	"github.com/roadrunner-server/config/v5"
	endure "github.com/roadrunner-server/endure/v2"
	httpPlugin "github.com/roadrunner-server/http/v5"
	"github.com/roadrunner-server/informer/v5"
	"github.com/roadrunner-server/jobs/v5"
	"github.com/roadrunner-server/kv/v5"
	"github.com/roadrunner-server/logger/v5"
	"github.com/roadrunner-server/memcached/v5"
	"github.com/roadrunner-server/memory/v5"
	"github.com/roadrunner-server/nats/v5"
	"github.com/roadrunner-server/redis/v5"
	"github.com/roadrunner-server/resetter/v5"
	"github.com/roadrunner-server/rpc/v5"
	"github.com/roadrunner-server/server/v5"
	"github.com/roadrunner-server/status/v5"
)

// roadrunnerVersion is the release whose plugin versions go.mod pins.
const roadrunnerVersion = "2025.1.15"

type overrides []string

func (o *overrides) String() string     { return strings.Join(*o, ",") }
func (o *overrides) Set(v string) error { *o = append(*o, v); return nil }

func main() {
	cfgPath := flag.String("c", ".rr.yaml", "path to the configuration file")
	workDir := flag.String("w", "", "working directory (default: the configuration file's directory is NOT entered)")
	grace := flag.Duration("grace", 30*time.Second, "graceful shutdown timeout")
	var flags overrides
	flag.Var(&flags, "o", "override a configuration key: -o http.address=127.0.0.1:8080 (repeatable)")
	version := flag.Bool("version", false, "print the version and exit")
	flag.Parse()

	if *version {
		fmt.Printf("rr version %s (rr-rs test build)\n", roadrunnerVersion)
		return
	}
	if args := flag.Args(); len(args) != 1 || args[0] != "serve" {
		fmt.Fprintln(os.Stderr, "usage: rr [-c config] [-w dir] [-o key=value] serve")
		os.Exit(2)
	}
	if *workDir != "" {
		if err := os.Chdir(*workDir); err != nil {
			fmt.Fprintf(os.Stderr, "rr: cannot enter %s: %v\n", *workDir, err)
			os.Exit(1)
		}
	}
	os.Exit(run(*cfgPath, flags, *grace))
}

func run(cfgPath string, flags []string, grace time.Duration) int {
	cont := endure.New(slog.LevelError, endure.GracefulShutdownTimeout(grace))
	cfg := &config.Plugin{
		Path:    cfgPath,
		Prefix:  "rr",
		Flags:   flags,
		Timeout: grace,
		Version: roadrunnerVersion,
	}
	err := cont.RegisterAll(
		cfg,
		&logger.Plugin{},
		&server.Plugin{},
		&rpc.Plugin{},
		&informer.Plugin{},
		&resetter.Plugin{},
		&status.Plugin{},
		&httpPlugin.Plugin{},
		// KV storages: memory (also a jobs driver), redis and memcached.
		&kv.Plugin{},
		&memory.Plugin{},
		&redis.Plugin{},
		&memcached.Plugin{},
		// Jobs (RR_MODE=jobs workers, `jobs` RPC) and its broker drivers.
		&jobs.Plugin{},
		&amqp.Plugin{},
		&beanstalk.Plugin{},
		&boltdb.Plugin{},
		&nats.Plugin{},
		&testAttributes{},
	)
	if err != nil {
		fmt.Fprintf(os.Stderr, "rr: register plugins: %v\n", err)
		return 1
	}
	if err = cont.Init(); err != nil {
		fmt.Fprintf(os.Stderr, "rr: init: %v\n", err)
		return 1
	}
	errCh, err := cont.Serve()
	if err != nil {
		fmt.Fprintf(os.Stderr, "rr: serve: %v\n", err)
		return 1
	}

	signals := make(chan os.Signal, 2)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGQUIT)

	for {
		select {
		case e := <-errCh:
			fmt.Fprintf(os.Stderr, "rr: plugin %s failed: %v\n", e.VertexID, e.Error)
			if stopErr := cont.Stop(); stopErr != nil {
				fmt.Fprintf(os.Stderr, "rr: stop: %v\n", stopErr)
			}
			return 1
		case sig := <-signals:
			fmt.Fprintf(os.Stderr, "rr: %v received, stopping (grace %v)\n", sig, grace)
			done := make(chan error, 1)
			go func() { done <- cont.Stop() }()
			select {
			case stopErr := <-done:
				if stopErr != nil {
					fmt.Fprintf(os.Stderr, "rr: stop: %v\n", stopErr)
					return 1
				}
				return 0
			case <-signals:
				fmt.Fprintln(os.Stderr, "rr: second signal, exit forced")
				return 1
			}
		}
	}
}

func init() {
	// Keep the binary honest about what it was built from.
	if info, ok := debug.ReadBuildInfo(); ok && os.Getenv("RR_RS_PRINT_DEPS") != "" {
		for _, d := range info.Deps {
			fmt.Fprintln(os.Stderr, d.Path, d.Version)
		}
	}
}
