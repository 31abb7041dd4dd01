# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The dxtr authors
"""Starting dxtr in a namespace and driving it with dxtr-ctl."""

import json
import os
import signal
import subprocess
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
BUILD = os.environ.get("DXTR_BUILD", os.path.join(TOP, "build"))
DXTR = os.path.join(BUILD, "control", "dxtr")
DXTR_CTL = os.path.join(BUILD, "control", "dxtr-ctl")


def poll(fn, timeout=20.0, interval=0.05, what="condition"):
    """Calls fn until it returns a truthy value; returns it, or raises after timeout seconds."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = fn()
            if last:
                return last
        except (AssertionError, OSError, ValueError, KeyError) as e:
            last = e
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout}s waiting for {what} (last: {last!r})")


class Dxtr:
    """One dxtr process in namespace ns, with its configuration written to workdir."""

    def __init__(self, ns, workdir, config_text, name="dxtr"):
        self.ns = ns
        self.workdir = workdir
        self.name = name
        self.config = os.path.join(workdir, f"{name}.yaml")
        self.socket = os.path.join(workdir, f"{name}.sock")
        self.log = os.path.join(workdir, f"{name}.log")
        with open(self.config, "w") as f:
            f.write(config_text.replace("@SOCKET@", self.socket))
        self.proc = None

    def start(self, extra=(), stdin=subprocess.DEVNULL, terminal=None):
        """Starts dxtr; with terminal (a pty fd) as its standard input and output."""
        logf = open(self.log, "w")
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", self.ns, DXTR, "-c", self.config, *extra],
            stdin=terminal if terminal is not None else stdin,
            stdout=terminal if terminal is not None else logf,
            stderr=logf)
        logf.close()
        poll(lambda: self.proc.poll() is None and self.ctl("show", "version").returncode == 0
             or self._died(), timeout=30, what=f"{self.name} to answer on {self.socket}")
        return self

    def _died(self):
        if self.proc.poll() is not None:
            raise RuntimeError(f"{self.name} exited with {self.proc.returncode}: {self.logtext()}")
        return False

    def logtext(self):
        with open(self.log) as f:
            return f.read()

    def ctl(self, *words, timeout=10):
        return subprocess.run([DXTR_CTL, "-s", self.socket, *words],
                              capture_output=True, text=True, timeout=timeout)

    def show(self, *words):
        """Runs `show WORDS json` and returns the parsed object; fails on a command error."""
        r = self.ctl("show", *words, "json")
        assert r.returncode == 0, f"show {' '.join(words)}: rc {r.returncode}: {r.stdout}{r.stderr}"
        return json.loads(r.stdout)

    def wait_exit(self, timeout=20):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"{self.name} did not exit within {timeout}s: {self.logtext()}")

    def stop(self):
        """Ends the process if it still runs (test teardown)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
