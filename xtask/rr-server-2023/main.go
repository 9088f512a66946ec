// Command rr (legacy build) is the RoadRunner v2023.3.12 server that rr-rs
// tests its JSON-codec HTTP path against: http/v4 v4.5.3 encodes the request
// context as JSON (frame flag 0x08), where the 2025 line uses protobuf.
//
// Like xtask/rr-server it embeds the plugins through their Go modules, pinned
// by go.sum, because `go install`ing the upstream v2023 CLI fails on the
// exclude directives in its go.mod. Only the lean plugin set is compiled in.
//
// Usage: rr [-c .rr.yaml] [-w workdir] [-o key=value ...] [-grace 30s] serve
//
//	rr -version
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

	"github.com/roadrunner-server/config/v4"
	endure "github.com/roadrunner-server/endure/v2"
	httpPlugin "github.com/roadrunner-server/http/v4"
	"github.com/roadrunner-server/informer/v4"
	"github.com/roadrunner-server/logger/v4"
	"github.com/roadrunner-server/resetter/v4"
	"github.com/roadrunner-server/rpc/v4"
	"github.com/roadrunner-server/server/v4"
	"github.com/roadrunner-server/status/v4"
)

// roadrunnerVersion is the release whose plugin versions go.mod pins. It is
// handed to workers as RR_VERSION.
const roadrunnerVersion = "2023.3.12"

// envPrefix is the config plugin's environment prefix. config/v4 refuses to
// start without one; "rr" is what the upstream v2023 CLI passes.
const envPrefix = "RR_"

type overrideList []string

func (l *overrideList) String() string { return strings.Join(*l, ",") }

func (l *overrideList) Set(value string) error {
	*l = append(*l, value)
	return nil
}

func main() {
	cfgPath := flag.String("c", ".rr.yaml", "path to the configuration file")
	workDir := flag.String("w", "", "working directory to enter before starting (default: stay in the current one)")
	grace := flag.Duration("grace", 30*time.Second, "graceful shutdown timeout")
	var overrides overrideList
	flag.Var(&overrides, "o", "override a configuration key: -o http.address=127.0.0.1:8080 (repeatable)")
	showVersion := flag.Bool("version", false, "print the version and exit")
	flag.Parse()

	if *showVersion {
		fmt.Printf("rr version %s (rr-rs legacy test build)\n", roadrunnerVersion)
		return
	}
	if args := flag.Args(); len(args) != 1 || args[0] != "serve" {
		fmt.Fprintln(os.Stderr, "usage: rr [-c config] [-w dir] [-o key=value] [-grace 30s] serve")
		os.Exit(2)
	}
	if *workDir != "" {
		if err := os.Chdir(*workDir); err != nil {
			fmt.Fprintf(os.Stderr, "rr: cannot enter %s: %v\n", *workDir, err)
			os.Exit(1)
		}
	}
	scrubPrefixedEnv()
	os.Exit(serve(*cfgPath, overrides, *grace))
}

// scrubPrefixedEnv removes every RR_* variable from this process's
// environment.
//
// config/v4 makes Prefix mandatory and turns on viper's AutomaticEnv with it,
// so RR_<SECTION>[_<KEY>] silently replaces configuration values: an
// inherited RR_RPC=tcp://... (exported to every worker, so set in a shell that
// runs inside a worker or a test harness) makes the `rpc` section a plain
// string and plugin Init fails; RR_HTTP or RR_SERVER do the same to theirs.
// The configuration must come from the file and -o only. The variables RR
// itself gives workers (RR_RELAY, RR_RPC, RR_VERSION, RR_MODE) are added by the
// server and http plugins after this, so workers still receive them; stale
// copies from our own parent are not passed on.
func scrubPrefixedEnv() {
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, envPrefix) {
			_ = os.Unsetenv(name)
		}
	}
}

func serve(cfgPath string, overrides []string, grace time.Duration) int {
	container := endure.New(slog.LevelError, endure.GracefulShutdownTimeout(grace))
	cfg := &config.Plugin{
		Path:    cfgPath,
		Prefix:  strings.ToLower(strings.TrimSuffix(envPrefix, "_")),
		Flags:   overrides,
		Timeout: grace,
		Version: roadrunnerVersion,
	}
	if err := container.RegisterAll(
		cfg,
		&logger.Plugin{},
		&server.Plugin{},
		&rpc.Plugin{},
		&informer.Plugin{},
		&resetter.Plugin{},
		&status.Plugin{},
		&httpPlugin.Plugin{},
	); err != nil {
		fmt.Fprintf(os.Stderr, "rr: register plugins: %v\n", err)
		return 1
	}
	if err := container.Init(); err != nil {
		fmt.Fprintf(os.Stderr, "rr: init: %v\n", err)
		return 1
	}
	results, err := container.Serve()
	if err != nil {
		fmt.Fprintf(os.Stderr, "rr: serve: %v\n", err)
		return 1
	}

	signals := make(chan os.Signal, 2)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGQUIT)

	for {
		select {
		case res := <-results:
			fmt.Fprintf(os.Stderr, "rr: plugin %s failed: %v\n", res.VertexID, res.Error)
			if stopErr := container.Stop(); stopErr != nil {
				fmt.Fprintf(os.Stderr, "rr: stop: %v\n", stopErr)
			}
			return 1
		case sig := <-signals:
			fmt.Fprintf(os.Stderr, "rr: %v received, stopping (grace %v)\n", sig, grace)
			stopped := make(chan error, 1)
			go func() { stopped <- container.Stop() }()
			select {
			case stopErr := <-stopped:
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

// With RR_RS_PRINT_DEPS set, list the modules this binary was built from.
// Package init runs before main scrubs RR_* from the environment.
func init() {
	if os.Getenv("RR_RS_PRINT_DEPS") == "" {
		return
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			fmt.Fprintln(os.Stderr, dep.Path, dep.Version)
		}
	}
}
