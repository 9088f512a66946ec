// Benchmarks of the Go side, set up like the Rust ones in benches/ (no kernel, no threads):
//
//   - BenchmarkRelaySend: build a frame as RoadRunner's pool does and send it through the
//     goridge pipe relay into a discarding writer (goridge/stream_relay_send_in_memory).
//   - BenchmarkRelayReceive: receive one frame through the pipe relay from a reader that
//     repeats it forever (goridge/stream_relay_receive_in_memory).
//   - BenchmarkWorkerStep: one request through this worker's step(), the same in-memory setup
//     (http/worker_over_stream_relay), on the very bytes the Rust fixtures produce.
//
// Run: cd xtask/go-worker && go test -run '^$' -bench . -benchmem
package main

import (
	"encoding/hex"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/roadrunner-server/goridge/v3/pkg/frame"
	"github.com/roadrunner-server/goridge/v3/pkg/pipe"
)

// cycle repeats the same bytes forever.
type cycle struct {
	data []byte
	pos  int
}

func (c *cycle) Read(p []byte) (int, error) {
	n := copy(p, c.data[c.pos:])
	c.pos = (c.pos + n) % len(c.data)
	return n, nil
}

func (*cycle) Close() error { return nil }

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
func (discard) Close() error                { return nil }

var sizes = []struct {
	name string
	size int
}{{"0B", 0}, {"1KiB", 1024}, {"64KiB", 64 * 1024}, {"1MiB", 1024 * 1024}}

// The 64-byte context the Rust benchmarks put in front of every payload.
var context64 = []byte(strings.Repeat("\x42", 64))

func payload(size int) []byte {
	p := make([]byte, size)
	for i := range p {
		p[i] = byte(i % 251)
	}
	return p
}

// buildFrame builds a frame the way the pool's sendFrame does.
func buildFrame(context, body []byte) *frame.Frame {
	fr := frame.NewFrame()
	fr.WriteVersion(fr.Header(), frame.Version1)
	fr.WriteFlags(fr.Header(), frame.CodecProto)
	buf := make([]byte, 0, len(context)+len(body))
	buf = append(append(buf, context...), body...)
	fr.WriteOptions(fr.HeaderPtr(), uint32(len(context)))
	fr.WritePayloadLen(fr.Header(), uint32(len(buf)))
	fr.WritePayload(buf)
	fr.WriteCRC(fr.Header())
	return fr
}

func BenchmarkRelaySend(b *testing.B) {
	for _, s := range sizes {
		body := payload(s.size)
		relay := pipe.NewPipeRelay(&cycle{data: []byte{0}}, discard{})
		b.Run(s.name, func(b *testing.B) {
			b.SetBytes(int64(len(context64) + s.size))
			for i := 0; i < b.N; i++ {
				if err := relay.Send(buildFrame(context64, body)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkRelayReceive(b *testing.B) {
	for _, s := range sizes {
		wire := buildFrame(context64, payload(s.size)).Bytes()
		relay := pipe.NewPipeRelay(&cycle{data: wire}, discard{})
		b.Run(s.name, func(b *testing.B) {
			b.SetBytes(int64(len(wire)))
			for i := 0; i < b.N; i++ {
				fr := frame.NewFrame()
				if err := relay.Receive(fr); err != nil {
					b.Fatal(err)
				}
				if fr.ReadOptions(fr.Header())[0] != uint32(len(context64)) {
					b.Fatal("bad option")
				}
			}
		})
	}
}

func BenchmarkWorkerStep(b *testing.B) {
	for _, name := range []string{"vector_a", "realistic"} {
		text, err := os.ReadFile("testdata/" + name + "_request.hex")
		if err != nil {
			b.Fatal(err)
		}
		context, err := hex.DecodeString(strings.TrimSpace(string(text)))
		if err != nil {
			b.Fatal(err)
		}
		wire := buildFrame(context, nil).Bytes()
		relay := pipe.NewPipeRelay(&cycle{data: wire}, discard{})
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if stop, err := step(relay); err != nil || stop {
					b.Fatal(stop, err)
				}
			}
		})
	}
}

var _ io.ReadCloser = (*cycle)(nil)
