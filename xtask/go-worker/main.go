// A minimal RoadRunner HTTP worker in Go, for `cargo xtask bench --worker go` only.
//
// It speaks the same protocol as the Rust worker under test, with the building blocks the Go
// ecosystem offers: the goridge pipe relay and frame type, and the generated http.v1 protobuf
// types. For every request it decodes the http.v1.Request context and answers 200
// "Hello RoadRunner!" with an http.v1.Response context and frame flags 0x80. It answers the
// pid handshake and exits on {"stop":true}.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	httpV1 "github.com/roadrunner-server/api/v4/build/http/v1"
	"github.com/roadrunner-server/goridge/v3/pkg/frame"
	"github.com/roadrunner-server/goridge/v3/pkg/pipe"
	"google.golang.org/protobuf/proto"
)

var body = []byte("Hello RoadRunner!")

// A control command from the server: {"pid":N} or {"stop":true}.
type control struct {
	Pid  json.RawMessage `json:"pid,omitempty"`
	Stop bool            `json:"stop,omitempty"`
}

type pidReply struct {
	Pid int `json:"pid"`
}

func main() {
	relay := pipe.NewPipeRelay(os.Stdin, os.Stdout)
	if err := serve(relay); err != nil {
		fmt.Fprintln(os.Stderr, "go-worker:", err)
		os.Exit(1)
	}
}

func serve(relay *pipe.Relay) error {
	for {
		stop, err := step(relay)
		if err != nil || stop {
			return err
		}
	}
}

// step receives one frame and answers it; true means the server asked us to stop.
func step(relay *pipe.Relay) (bool, error) {
	in := frame.NewFrame()
	if err := relay.Receive(in); err != nil {
		return false, err
	}
	flags := in.ReadFlags()
	if flags&frame.CONTROL != 0 {
		var cmd control
		if err := json.Unmarshal(in.Payload(), &cmd); err != nil {
			return false, fmt.Errorf("bad control frame %q: %w", in.Payload(), err)
		}
		if cmd.Stop {
			return true, nil
		}
		if len(cmd.Pid) > 0 {
			return false, sendControl(relay, os.Getpid())
		}
		return false, nil
	}
	header := in.Header()
	if in.IsStop(header) || in.IsPong(header) {
		return false, nil // leftovers of a finished stream
	}
	options := in.ReadOptions(header)
	if len(options) != 1 || int(options[0]) > len(in.Payload()) {
		return false, fmt.Errorf("request frame without a valid context length: %v", options)
	}
	var req httpV1.Request
	if err := proto.Unmarshal(in.Payload()[:options[0]], &req); err != nil {
		return false, fmt.Errorf("cannot decode the request: %w", err)
	}
	if req.GetMethod() == "" {
		return false, fmt.Errorf("request without a method")
	}

	// Built per request, as the Rust worker does: the response head, then the frame.
	context, err := proto.Marshal(&httpV1.Response{Status: 200})
	if err != nil {
		return false, err
	}
	payload := make([]byte, 0, len(context)+len(body))
	payload = append(append(payload, context...), body...)
	out := frame.NewFrame()
	out.WriteVersion(out.Header(), frame.Version1)
	out.WriteFlags(out.Header(), frame.CodecProto)
	out.WriteOptions(out.HeaderPtr(), uint32(len(context)))
	out.WritePayloadLen(out.Header(), uint32(len(payload)))
	out.WritePayload(payload)
	out.WriteCRC(out.Header())
	return false, relay.Send(out)
}

func sendControl(relay *pipe.Relay, pid int) error {
	data, err := json.Marshal(pidReply{Pid: pid})
	if err != nil {
		return err
	}
	fr := frame.NewFrame()
	fr.WriteVersion(fr.Header(), frame.Version1)
	fr.WriteFlags(fr.Header(), frame.CONTROL, frame.CodecJSON)
	fr.WritePayloadLen(fr.Header(), uint32(len(data)))
	fr.WritePayload(data)
	fr.WriteCRC(fr.Header())
	return relay.Send(fr)
}
