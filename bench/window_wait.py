#!/usr/bin/env python3
"""Starts a program and times it to its first mapped top-level window (bench/app_start.sh).

usage: window_wait.py [--timeout S] [--log FILE] -- PROGRAM [ARGS...]

Connects to $DISPLAY and listens to the root window's structure events (MapNotify) before it
starts PROGRAM, so the map is seen as the X server sends it: no polling, and no helper processes
started while the program starts (polling with `xdotool search` every 10 ms cost each poll a new
X connection of 15-80 ms and took CPU from the program being timed). A window counts when its
_NET_WM_PID is the program's PID, the same rule as `xdotool search --onlyvisible --pid`; a
window mapped before it carries the property is counted when the property arrives.

Prints one line, "PID MS CPU_MS": the program's PID, the milliseconds from just before the exec
to the map, and the CPU time (user + system) the program had used by then; "PID none none" when
it exits or shows nothing within the timeout. The program keeps running (stdout and stderr to
--log, stdin from /dev/null); stopping it is the caller's business. Uses libX11 through ctypes:
no module to install.
"""
import ctypes
import ctypes.util
import os
import select
import subprocess
import sys
import time

MAP_NOTIFY, PROPERTY_NOTIFY = 19, 28
SUBSTRUCTURE_NOTIFY_MASK, PROPERTY_CHANGE_MASK = 1 << 19, 1 << 22
XA_CARDINAL = 6


class XAnyEvent(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong), ("send_event", ctypes.c_int),
                ("display", ctypes.c_void_p), ("window", ctypes.c_ulong)]


class XMapEvent(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong), ("send_event", ctypes.c_int),
                ("display", ctypes.c_void_p), ("event", ctypes.c_ulong), ("window", ctypes.c_ulong),
                ("override_redirect", ctypes.c_int)]


class XPropertyEvent(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong), ("send_event", ctypes.c_int),
                ("display", ctypes.c_void_p), ("window", ctypes.c_ulong), ("atom", ctypes.c_ulong),
                ("time", ctypes.c_ulong), ("state", ctypes.c_int)]


class XEvent(ctypes.Union):
    _fields_ = [("type", ctypes.c_int), ("any", XAnyEvent), ("map", XMapEvent),
                ("property", XPropertyEvent), ("pad", ctypes.c_long * 24)]


def main(argv):
    timeout, log = 60.0, os.devnull
    while argv and argv[0] != "--":
        if argv[0] == "--timeout" and len(argv) > 1:
            timeout, argv = float(argv[1]), argv[2:]
        elif argv[0] == "--log" and len(argv) > 1:
            log, argv = argv[1], argv[2:]
        else:
            sys.exit("window_wait: unknown option %s (usage: window_wait.py [--timeout S] [--log FILE] -- PROGRAM...)" % argv[0])
    program = argv[1:]
    if not program:
        sys.exit("window_wait: no program given")

    x = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
    x.XOpenDisplay.restype = ctypes.c_void_p
    x.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x.XDefaultRootWindow.restype = ctypes.c_ulong
    x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    x.XSelectInput.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_long]
    x.XInternAtom.restype = ctypes.c_ulong
    x.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    x.XConnectionNumber.argtypes = [ctypes.c_void_p]
    x.XPending.argtypes = [ctypes.c_void_p]
    x.XNextEvent.argtypes = [ctypes.c_void_p, ctypes.POINTER(XEvent)]
    x.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
    x.XFlush.argtypes = [ctypes.c_void_p]
    x.XFree.argtypes = [ctypes.c_void_p]
    x.XSetErrorHandler.restype = ctypes.c_void_p
    x.XGetWindowProperty.argtypes = [
        ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_long, ctypes.c_long, ctypes.c_int,
        ctypes.c_ulong, ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_int),
        ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_void_p)]

    dpy = x.XOpenDisplay(None)
    if not dpy:
        sys.exit("window_wait: cannot open display %s" % os.environ.get("DISPLAY", "(unset)"))
    # A window that is gone before we ask about it raises BadWindow: ignore it, do not exit.
    error_handler = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)(lambda d, e: 0)
    x.XSetErrorHandler(error_handler)
    root = x.XDefaultRootWindow(dpy)
    wm_pid = x.XInternAtom(dpy, b"_NET_WM_PID", 0)
    x.XSelectInput(dpy, root, SUBSTRUCTURE_NOTIFY_MASK)
    x.XSync(dpy, 0)  # subscribed before the program starts

    def pid_of(window):
        kind, fmt = ctypes.c_ulong(), ctypes.c_int()
        count, left, data = ctypes.c_ulong(), ctypes.c_ulong(), ctypes.c_void_p()
        if x.XGetWindowProperty(dpy, window, wm_pid, 0, 1, 0, XA_CARDINAL, ctypes.byref(kind), ctypes.byref(fmt),
                                ctypes.byref(count), ctypes.byref(left), ctypes.byref(data)) != 0:
            return None
        pid = None
        if data.value and count.value == 1 and fmt.value == 32:
            pid = ctypes.cast(data, ctypes.POINTER(ctypes.c_ulong))[0]  # format 32 is a long in Xlib
        if data.value:
            x.XFree(data)
        return pid

    with open(log, "ab") as out:
        t0 = time.monotonic()
        child = subprocess.Popen(program, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
    clock_ticks = os.sysconf("SC_CLK_TCK")
    fd = x.XConnectionNumber(dpy)
    event = XEvent()
    deadline = t0 + timeout
    mapped_without_pid = set()
    while time.monotonic() < deadline and child.poll() is None:
        if not x.XPending(dpy):
            select.select([fd], [], [], 0.05)
            continue
        x.XNextEvent(dpy, ctypes.byref(event))
        seen = None
        if event.type == MAP_NOTIFY:
            seen = event.map.window
            if pid_of(seen) != child.pid:
                # Its property may come later: watch it.
                mapped_without_pid.add(seen)
                x.XSelectInput(dpy, seen, PROPERTY_CHANGE_MASK)
                x.XFlush(dpy)
                seen = None
        elif event.type == PROPERTY_NOTIFY and event.property.window in mapped_without_pid:
            if event.property.atom == wm_pid and pid_of(event.property.window) == child.pid:
                seen = event.property.window
        if seen is not None:
            ms = (time.monotonic() - t0) * 1000
            try:
                with open("/proc/%d/stat" % child.pid) as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                cpu = (int(fields[11]) + int(fields[12])) * 1000 // clock_ticks  # utime, stime
            except (OSError, IndexError, ValueError):
                cpu = "none"
            print("%d %d %s" % (child.pid, round(ms), cpu), flush=True)
            return 0
    print("%d none none" % child.pid, flush=True)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
