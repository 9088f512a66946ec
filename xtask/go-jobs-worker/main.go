// A minimal RoadRunner jobs worker in Go, for `cargo xtask bench jobs` only.
//
// It does per task what the Rust consumer under test does, with the goridge pipe relay and
// frame type: it decodes the JSON context (id, job, driver, pipeline, queue, headers) and
// acknowledges with the body {"type":2,"data":{}}. It answers the pid handshake and exits on
// {"stop":true}.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/roadrunner-server/goridge/v3/pkg/frame"
	"github.com/roadrunner-server/goridge/v3/pkg/pipe"
)

// The task context rr's jobs plugin sends.
type task struct {
	ID       string              `json:"id"`
	Job      string              `json:"job"`
	Driver   string              `json:"driver"`
	Pipeline string              `json:"pipeline"`
	Queue    string              `json:"queue"`
	Headers  map[string][]string `json:"headers"`
}

// A control command from the server: {"pid":N} or {"stop":true}.
type control struct {
	Pid  json.RawMessage `json:"pid,omitempty"`
	Stop bool            `json:"stop,omitempty"`
}

var ack = []byte(`{"type":2,"data":{}}`)

func main() {
	relay := pipe.NewPipeRelay(os.Stdin, os.Stdout)
	for {
		stop, err := step(relay)
		if err != nil {
			fmt.Fprintln(os.Stderr, "go-jobs-worker:", err)
			os.Exit(1)
		}
		if stop {
			return
		}
	}
}

// step receives one frame and answers it; true means the server asked us to stop.
func step(relay *pipe.Relay) (bool, error) {
	in := frame.NewFrame()
	if err := relay.Receive(in); err != nil {
		return false, err
	}
	header := in.Header()
	if in.ReadFlags()&frame.CONTROL != 0 {
		var cmd control
		if err := json.Unmarshal(in.Payload(), &cmd); err != nil {
			return false, fmt.Errorf("bad control frame %q: %w", in.Payload(), err)
		}
		if cmd.Stop {
			return true, nil
		}
		if len(cmd.Pid) > 0 {
			data, err := json.Marshal(map[string]int{"pid": os.Getpid()})
			if err != nil {
				return false, err
			}
			return false, send(relay, data, frame.CONTROL)
		}
		return false, nil
	}
	options := in.ReadOptions(header)
	if len(options) != 1 || int(options[0]) > len(in.Payload()) {
		return false, fmt.Errorf("task frame without a valid context length: %v", options)
	}
	var t task
	if err := json.Unmarshal(in.Payload()[:options[0]], &t); err != nil {
		return false, fmt.Errorf("cannot decode the task context: %w", err)
	}
	if t.ID == "" {
		return false, fmt.Errorf("task without an id")
	}
	return false, send(relay, ack, 0)
}

// send writes one frame with an empty context (one zero option) and `body`.
func send(relay *pipe.Relay, body []byte, flags byte) error {
	out := frame.NewFrame()
	out.WriteVersion(out.Header(), frame.Version1)
	if flags == frame.CONTROL {
		out.WriteFlags(out.Header(), frame.CONTROL, frame.CodecJSON)
	} else {
		out.WriteFlags(out.Header(), frame.CodecJSON)
		out.WriteOptions(out.HeaderPtr(), 0)
	}
	out.WritePayloadLen(out.Header(), uint32(len(body)))
	out.WritePayload(body)
	out.WriteCRC(out.Header())
	return relay.Send(out)
}
