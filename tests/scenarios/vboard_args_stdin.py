# Says its arguments, then echoes a line of its stdin, for tests/test_vboard.py.
# MIT licence, see LICENSE. argv: any.
import sys
from scen import say
say('ARGS', sys.argv[1:])
say('ECHO', sys.stdin.readline().strip())
