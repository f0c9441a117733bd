# tests/conftest.py - the `target` dimension: every test that takes `target` (or `run`) runs
# once per selected target. MIT licence, see LICENSE.
#
#   pytest                          cpython and micropython (the default)
#   pytest --targets micropython    one target
# Later targets (.mpy builds, the virtual board, board personalities, a real device) register
# themselves in harness.TARGETS and are chosen the same way.
import collections
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402

DEFAULT_TARGETS = "cpython,micropython"


def pytest_addoption(parser):
    parser.addoption(
        "--targets",
        default=os.environ.get("NET_TARGETS", DEFAULT_TARGETS),
        help="comma-separated targets to run each test on (%s)" % ", ".join(harness.TARGETS),
    )
    parser.addoption(
        "--port",
        default=os.environ.get("NET_PORT"),
        help="serial port of a real board for the `device` target (e.g. /dev/ttyUSB0)",
    )
    parser.addoption(
        "--board-ip",
        default=None,
        help="the real board's address on the network the host shares with it (default: its station's, asked of the board)",
    )


def pytest_configure(config):
    harness.TARGETS["device"].port = config.getoption("--port")
    if config.getoption("--board-ip"):
        harness.TARGETS["device"].board_ip = config.getoption("--board-ip")


def pytest_sessionfinish(session):
    # Stop what targets started (virtual boards).
    for t in harness.TARGETS.values():
        t.teardown()


def _selected(config):
    names = [n.strip() for n in config.getoption("--targets").split(",") if n.strip()]
    for n in names:
        if n not in harness.TARGETS:
            raise pytest.UsageError("unknown target %r; known: %s" % (n, ", ".join(harness.TARGETS)))
    return names


def pytest_generate_tests(metafunc):
    if "target" in metafunc.fixturenames:
        names = _selected(metafunc.config)
        only = metafunc.definition.get_closest_marker("targets")
        if only:
            # @pytest.mark.targets("cpython", reason="...") limits a test to some targets;
            # the others are reported as skipped with the reason.
            params = [
                pytest.param(n, marks=pytest.mark.skip(reason=only.kwargs.get("reason", "not on this target")))
                if harness.TARGETS[n].kind not in only.args and n not in only.args
                else n
                for n in names
            ]
        else:
            params = names
        metafunc.parametrize("target", params, indirect=True)


@pytest.fixture
def target(request):
    t = harness.TARGETS[request.param]
    t.setup()  # builds or boards the target needs, once per session; may skip (device)
    harness.CURRENT[0] = t
    t.enter()  # the lwIP targets: the test runs in their link's network namespace
    try:
        yield t
    finally:
        t.leave()
        harness.CURRENT[0] = harness.TARGETS["cpython"]


@pytest.fixture
def run(target, request):
    r = harness.Runner(target, request)
    yield r
    r.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    rep = yield
    cs = getattr(item, "callspec", None)
    if cs is not None and "target" in cs.params:
        rep.user_properties.append(("target", cs.params["target"]))
    # On failure, every scenario's whole output (its traceback included) goes in the report.
    if rep.failed and call.when == "call":
        for s in getattr(item, "_scenarios", ()):
            rep.sections.append(("%s on %s" % (s.name, s.target.name), s.output))
        # On the lwIP targets, the link as the host saw it (neighbour entries, the TAP
        # devices' counters): a lost ARP answer or a dropping TAP queue shows there.
        t = harness.TARGETS.get(cs.params.get("target")) if cs is not None else None
        if t is not None and t.lwip and harness.LINK.ns:
            rep.sections.append(("the lwIP link", harness.LINK.state()))
    return rep


_per_target = collections.defaultdict(collections.Counter)


def pytest_runtest_logreport(report):
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        t = dict(report.user_properties).get("target", "-")
        _per_target[t][report.outcome] += 1


def pytest_terminal_summary(terminalreporter):
    if harness.FIGURES:
        terminalreporter.section("figures")
        for ln in harness.FIGURES:
            terminalreporter.write_line(ln)
    if not _per_target:
        return
    terminalreporter.section("per target")
    for t in sorted(_per_target):
        c = _per_target[t]
        terminalreporter.write_line(
            "%-14s %s" % (t if t != "-" else "(no target)", ", ".join("%d %s" % (c[k], k) for k in ("passed", "failed", "skipped") if c[k]))
        )
