# net.task() ends when another asyncio task removes the last socket, for tests/test_loop.py.
# MIT licence, see LICENSE.
from scen import say, BOARD_IP
import asyncio, net
from net import _rt
from net._loop import loop

class Owner:
    def _io(self, ev):
        pass

sock = _rt.new_socket()
_rt.bind_free(sock, BOARD_IP)
sock.listen(1)
loop.add(sock, Owner(), _rt.POLLIN)

async def closer():
    await asyncio.sleep(0.2)
    loop.remove(sock)             # what a server's close() does last
    sock.close()
    say("REMOVED")

async def main():
    asyncio.create_task(closer())
    await asyncio.wait_for(net.task(), 5)
    say("TASK-ENDED")

asyncio.run(main())
