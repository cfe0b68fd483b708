package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"unsafe"
)

// ptyRunMain is `ptyrun ANSWER COMMAND [ARG...]`: it runs COMMAND with a
// pseudo-terminal as its stdin, stdout and stderr, types ANSWER and a newline
// at every approval prompt ("Approve? ["), copies what the terminal shows to
// stdout (CR LF as LF) and exits with COMMAND's status. It lets scripts test
// the terminal prompt with the standard library only.
func ptyRunMain() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: ptyrun ANSWER COMMAND [ARG...]")
		os.Exit(2)
	}
	master, slave, err := openPTY()
	if err != nil {
		fmt.Fprintln(os.Stderr, "ptyrun:", err)
		os.Exit(2)
	}
	cmd := exec.Command(os.Args[2], os.Args[3:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "ptyrun:", err)
		os.Exit(2)
	}
	slave.Close()

	var mu sync.Mutex
	var shown bytes.Buffer
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 4096)
		answered := 0
		for {
			n, err := master.Read(buf)
			mu.Lock()
			shown.Write(buf[:n])
			prompts := strings.Count(shown.String(), "Approve? [")
			mu.Unlock()
			for ; answered < prompts; answered++ {
				io.WriteString(master, os.Args[1]+"\n")
			}
			if err != nil { // EIO once the command and its children are gone
				return
			}
		}
	}()
	werr := cmd.Wait()
	<-done
	os.Stdout.WriteString(strings.ReplaceAll(shown.String(), "\r\n", "\n"))
	var ee *exec.ExitError
	if errors.As(werr, &ee) {
		os.Exit(ee.ExitCode())
	}
	if werr != nil {
		fmt.Fprintln(os.Stderr, "ptyrun:", werr)
		os.Exit(2)
	}
}

// openPTY opens a pseudo-terminal pair through /dev/ptmx.
func openPTY() (master, slave *os.File, err error) {
	master, err = os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, nil, err
	}
	var n uint32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		master.Close()
		return nil, nil, e
	}
	var unlock int32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		master.Close()
		return nil, nil, e
	}
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY|syscall.O_CLOEXEC, 0)
	if err != nil {
		master.Close()
		return nil, nil, err
	}
	return master, slave, nil
}
