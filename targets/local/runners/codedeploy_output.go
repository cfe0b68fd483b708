package runners

import (
	"bytes"
	"io"
	"os"
	"sync"
	"time"
)

// hookOutput is one hook script's output. The script writes into a pipe
// pipeform owns and drains until every writer is gone: a daemon the hook
// started in the background (the job of ApplicationStart) keeps writing
// after the script exits, and must not die of a closed pipe before
// ValidateService checks it. To keep each hook's output in order, what is
// written before the script ends goes to the log under the hook's
// LifecycleEvent line, and what its background processes write after that
// is kept apart and logged under its own heading when the deployment ends,
// never in the middle of a later hook.
type hookOutput struct {
	event  string
	log    io.Writer
	r, w   *os.File
	synced chan struct{} // the script's own output is all logged
	done   chan struct{} // the pipe is closed: every writer is gone

	mu   sync.Mutex
	late bytes.Buffer
}

// maxLateOutput bounds what background processes' output is kept for the
// end of the deployment.
const maxLateOutput = 1 << 20

func newHookOutput(event string, log io.Writer) (*hookOutput, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	h := &hookOutput{event: event, log: log, r: r, w: w, synced: make(chan struct{}), done: make(chan struct{})}
	go h.drain()
	return h, nil
}

// scriptEnded marks the end of the script's own output: everything it
// wrote is in the pipe before the marker, so it is logged before the
// caller goes on.
func (h *hookOutput) scriptEnded() {
	_, err := h.w.Write(syncMarker)
	h.w.Close()
	if err != nil {
		return
	}
	<-h.synced
}

func (h *hookOutput) drain() {
	defer close(h.done)
	defer h.r.Close()
	buf := make([]byte, 32*1024)
	var pending []byte
	synced := false
	for {
		n, err := h.r.Read(buf)
		pending = append(pending, buf[:n]...)
		if !synced {
			if i := bytes.Index(pending, syncMarker); i >= 0 {
				h.log.Write(pending[:i])
				pending = append([]byte{}, pending[i+len(syncMarker):]...)
				synced = true
				close(h.synced)
			} else if hold := markerPrefixLen(pending); len(pending) > hold {
				h.log.Write(pending[:len(pending)-hold])
				pending = append(pending[:0], pending[len(pending)-hold:]...)
			}
		}
		if synced && len(pending) > 0 {
			h.mu.Lock()
			if room := maxLateOutput - h.late.Len(); room > 0 {
				h.late.Write(pending[:min(room, len(pending))])
			}
			h.mu.Unlock()
			pending = pending[:0]
		}
		if err != nil {
			if !synced {
				h.log.Write(pending)
				close(h.synced)
			}
			return
		}
	}
}

// finish waits a while for the pipe to close (the background processes
// are stopped by then) and logs what they wrote after the script ended.
func (h *hookOutput) finish() {
	select {
	case <-h.done:
	case <-time.After(2 * time.Second):
		// A process that escaped every stop holds the pipe: stop reading.
		h.r.Close()
		<-h.done
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.late.Len() == 0 {
		return
	}
	OwnLine(h.log, "Output of the background processes the %s hook started:", Masked(h.event))
	out := h.late.Bytes()
	h.log.Write(out)
	if out[len(out)-1] != '\n' {
		io.WriteString(h.log, "\n")
	}
	if h.late.Len() >= maxLateOutput {
		OwnLine(h.log, "(cut at 1 MiB)")
	}
}
