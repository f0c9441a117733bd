# tools/mprun.py - `mpremote run` that also forwards stdin to the board, for the test harness.
# MIT licence, see LICENSE.
#
#   python tools/mprun.py PORT SCRIPT
#
# Does what `mpremote connect PORT run SCRIPT` does, with mpremote's own serial transport
# (soft reset, raw paste, output followed until the script ends, exit status 1 and the
# traceback when it raised), and one addition: what arrives on this process's stdin is sent
# to the board while the script runs, as typed on its UART, where the script's
# sys.stdin.readline() reads it. Scenarios synchronise with the test this way; `mpremote run`
# does not forward stdin.
import os
import sys
import threading

from mpremote.transport import TransportError
from mpremote.transport_serial import SerialTransport


def _forward_stdin(transport, stop):
    fd = sys.stdin.fileno()
    while not stop:
        try:
            data = os.read(fd, 256)
        except OSError:
            return
        if not data or stop:
            return
        try:
            transport.serial.write(data)
        except Exception:
            return


def main(argv):
    if len(argv) != 2:
        print("usage: mprun.py PORT SCRIPT", file=sys.stderr)
        return 2
    port, script = argv
    with open(script, "rb") as f:
        src = f.read()
    out = sys.stdout.buffer

    def write(b):
        out.write(b.replace(b"\x04", b""))
        out.flush()

    try:
        t = SerialTransport(port, baudrate=115200)
    except TransportError as e:
        print("mprun: %s" % e, file=sys.stderr)
        return 1
    stop = []
    try:
        t.enter_raw_repl(soft_reset=True)
        t.exec_raw_no_follow(src)
        threading.Thread(target=_forward_stdin, args=(t, stop), daemon=True).start()
        ret, err = t.follow(None, data_consumer=write)
        stop.append(1)
        if err:
            write(err)
            return 1
        t.exit_raw_repl()
        return 0
    finally:
        stop.append(1)
        t.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
