"""The query pool answered from an event loop (``QueryPool.answer``): a waiting request is handed a released
worker without a thread, a reply of any size arrives whole (uvloop makes the pipe non-blocking while it watches
it), a request that stops waiting does not leave its reply to the next one, and a write still gets every worker.
The handler (tests/unguarded.py ``echo_after``) waits the seconds it is told, then answers bytes naming its job."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvloop

from evalgraph.errors import Overloaded
from evalgraph.web.protocol import Job, Reply
from evalgraph.web.query_workers import QueryPool

HANDLER = "tests.unguarded:echo_after"
LOOPS: dict[str, Callable[[Coroutine[Any, Any, Any]], Any]] = {"asyncio": asyncio.run, "uvloop": uvloop.run}


@pytest.fixture
def pool(small_store: Path, request: pytest.FixtureRequest) -> Iterator[QueryPool]:
    size, max_waiting, timeout = getattr(request, "param", (1, 8, 10.0))
    started = QueryPool(small_store, size=size, timeout=timeout, max_waiting=max_waiting, isolate=False, handler=HANDLER)
    started.start()
    yield started
    started.close()


def job(seconds: float, size: int = 0) -> Job:
    return Job(f"{seconds} {size}")


@pytest.mark.parametrize("loop", LOOPS)
def test_a_reply_larger_than_a_pipe_arrives_whole(pool: QueryPool, loop: str) -> None:
    size = 3_000_000  # far above a pipe's buffer: the worker writes it in many pieces
    reply = LOOPS[loop](pool.answer(job(0, size)))
    assert reply.status == 200 and len(reply.body) == size and reply.body.startswith(b"0 3000000.")
    again = LOOPS[loop](pool.answer(job(0)))  # the pipe is usable afterwards, in blocking mode again
    assert again.body == b"0 0"


@pytest.mark.parametrize("loop", LOOPS)
def test_waiting_requests_are_handed_the_worker_in_turn(pool: QueryPool, loop: str) -> None:
    async def three() -> list[Reply]:
        return list(await asyncio.gather(*(pool.answer(job(0.2, n)) for n in (11, 12, 13))))

    started = time.monotonic()
    replies = LOOPS[loop](three())
    assert [r.body[:6] for r in replies] == [b"0.2 11", b"0.2 12", b"0.2 13"]
    assert time.monotonic() - started >= 0.6  # one worker: one after the other


@pytest.mark.parametrize("pool", [(1, 1, 10.0)], indirect=True)
def test_beyond_max_waiting_a_request_is_refused_at_once(pool: QueryPool) -> None:
    async def three() -> list[Reply | BaseException]:
        return list(await asyncio.gather(*(pool.answer(job(0.3)) for _ in range(3)), return_exceptions=True))

    outcomes = asyncio.run(three())
    assert sum(isinstance(o, Overloaded) for o in outcomes) == 1
    assert sum(isinstance(o, Reply) and o.status == 200 for o in outcomes) == 2
    assert pool.refused == 1


@pytest.mark.parametrize("pool", [(1, 8, 0.5)], indirect=True)
def test_a_request_waiting_past_the_timeout_is_refused_and_its_slot_moves_on(pool: QueryPool) -> None:
    async def three() -> list[Reply | BaseException]:
        asked = [pool.answer(job(0.35, n)) for n in (1, 2)] + [pool.answer(job(0, 3))]
        return list(await asyncio.gather(*asked, return_exceptions=True))

    first, second, third = asyncio.run(three())  # the third would wait 0.7 s for the worker: past the 0.5 s
    assert isinstance(first, Reply) and isinstance(second, Reply) and first.status == second.status == 200
    assert isinstance(third, Overloaded)
    assert asyncio.run(pool.answer(job(0))).body == b"0 0"  # the slot handed to the refused one was not lost


@pytest.mark.parametrize("pool", [(1, 8, 0.5)], indirect=True)
def test_a_query_past_the_timeout_kills_its_worker_and_the_pool_goes_on(pool: QueryPool) -> None:
    reply = asyncio.run(pool.answer(job(5)))
    assert reply.status == 503 and reply.code == "query_timeout" and pool.timeouts == 1
    assert asyncio.run(pool.answer(job(0))).body == b"0 0"


@pytest.mark.parametrize("loop", LOOPS)
def test_a_cancelled_request_does_not_leave_its_reply_to_the_next(pool: QueryPool, loop: str) -> None:
    async def cancel_then_ask() -> Reply:
        slow = asyncio.ensure_future(pool.answer(job(0.5, 99)))
        await asyncio.sleep(0.1)
        slow.cancel()
        with pytest.raises(asyncio.CancelledError):
            await slow
        return await pool.answer(job(0))

    assert LOOPS[loop](cancel_then_ask()).body == b"0 0"
    assert len(pool._idle) == 1  # the cancelled worker was replaced, not lost


@pytest.mark.parametrize("pool", [(2, 8, 10.0)], indirect=True)
def test_a_write_gets_every_worker_while_requests_wait(pool: QueryPool) -> None:
    order: list[str] = []

    def write() -> None:
        with pool.exclusive(after=lambda: order.append("write")):
            time.sleep(0.3)

    async def queries_around_a_write() -> list[Reply]:
        busy = [asyncio.ensure_future(pool.answer(job(0.3, n))) for n in (1, 2)]
        await asyncio.sleep(0.1)
        writer = threading.Thread(target=write)
        writer.start()
        await asyncio.sleep(0.1)
        later = [asyncio.ensure_future(pool.answer(job(0, n))) for n in (3, 4)]
        replies = await asyncio.gather(*busy, *later)
        order.append("queries")
        await asyncio.to_thread(writer.join)
        return list(replies)

    replies = asyncio.run(queries_around_a_write())
    assert [r.status for r in replies] == [200] * 4
    assert order == ["write", "queries"]  # the queries that came after the write waited for it


# -- found by a review: writes, closing, and a grant racing the end of a wait ---------------------------------------


@pytest.mark.parametrize("pool", [(1, 8, 0.5)], indirect=True)
def test_a_write_is_not_overtaken_by_a_client_asking_again_and_again(pool: QueryPool) -> None:
    """A client that asks again as soon as it is answered used to take back every released worker before the
    waiting write could: the write gave up after its wait and ran beside the client's queries."""
    writing, done = threading.Event(), threading.Event()
    answered_during_write: list[int] = []
    outcome: list[BaseException | None] = []

    def write() -> None:
        try:
            with pool.exclusive():
                writing.set()
                time.sleep(0.3)
                writing.clear()
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - what the test reports
            outcome.append(exc)
        done.set()

    async def client() -> None:
        asked = 0
        while not done.is_set():
            await pool.answer(job(0.02))
            asked += 1
            if writing.is_set():
                answered_during_write.append(asked)

    async def both() -> None:
        asking = asyncio.ensure_future(client())
        await asyncio.sleep(0.1)
        writer = threading.Thread(target=write)
        writer.start()
        await asyncio.to_thread(writer.join)
        await asking

    asyncio.run(both())
    assert outcome == [None]  # the write held the worker
    assert answered_during_write == []
    assert len(pool._idle) == 1  # one worker, not one per side


@pytest.mark.parametrize("pool", [(2, 8, 10.0)], indirect=True)
def test_two_writes_run_one_after_the_other(pool: QueryPool) -> None:
    windows: list[tuple[float, float]] = []
    answered_at: list[float] = []

    def write() -> None:
        with pool.exclusive():
            start = time.monotonic()
            time.sleep(0.3)
            windows.append((start, time.monotonic()))

    async def traffic() -> None:
        writers = [threading.Thread(target=write) for _ in range(2)]
        queries = [asyncio.ensure_future(pool.answer(job(0.1))) for _ in range(4)]
        await asyncio.sleep(0.05)
        for writer in writers:
            writer.start()
        for _ in range(6):
            await asyncio.sleep(0.05)
            queries.append(asyncio.ensure_future(pool.answer(job(0.05))))
        for reply in await asyncio.gather(*queries):
            assert reply.status == 200
            answered_at.append(time.monotonic())
        for writer in writers:
            await asyncio.to_thread(writer.join)

    asyncio.run(traffic())
    (a_start, a_end), (b_start, b_end) = sorted(windows)
    assert a_end <= b_start  # one after the other
    assert len(pool._idle) == 2


@pytest.mark.parametrize("pool", [(1, 8, 10.0)], indirect=True)
def test_closing_refuses_the_waiting_requests_and_loses_no_slot(pool: QueryPool) -> None:
    async def close_while_one_waits() -> list[Reply | BaseException]:
        running = asyncio.ensure_future(pool.answer(job(0.3, 1)))
        await asyncio.sleep(0.05)
        waiting = asyncio.ensure_future(pool.answer(job(0, 2)))
        await asyncio.sleep(0.05)
        closing = asyncio.ensure_future(asyncio.to_thread(pool.close))
        outcomes = await asyncio.gather(running, waiting, return_exceptions=True)
        await closing
        return list(outcomes)

    running, waiting = asyncio.run(close_while_one_waits())
    assert isinstance(running, Reply) and running.status == 200  # the running query was waited for
    assert isinstance(waiting, Overloaded)
    with pytest.raises(Overloaded):
        asyncio.run(pool.answer(job(0)))  # a closed pool answers no more…
    pool.start()
    assert asyncio.run(pool.answer(job(0))).body == b"0 0"  # …until started again, with its slot


@pytest.mark.parametrize("pool", [(1, 8, 0.3)], indirect=True)
def test_a_worker_granted_as_the_wait_times_out_is_passed_on(pool: QueryPool) -> None:
    """The event loop is kept busy past the waiter's deadline, then the worker is released: the grant and the
    time-out come in the same turn of the loop. Whichever wins, the worker must stay usable (from Python 3.12 on,
    wait_for reported the time-out and dropped the slot the future held)."""

    async def race() -> Reply | BaseException:
        holding = asyncio.ensure_future(pool.answer(job(0.25)))
        await asyncio.sleep(0.05)
        waiting = asyncio.ensure_future(pool.answer(job(0)))
        await asyncio.sleep(0.1)
        time.sleep(0.4)  # the loop is blocked: the reply and the deadline are both due when it runs again
        await holding
        return (await asyncio.gather(waiting, return_exceptions=True))[0]

    outcome = asyncio.run(race())
    assert isinstance(outcome, Overloaded) or (isinstance(outcome, Reply) and outcome.status == 200)
    assert asyncio.run(pool.answer(job(0))).body == b"0 0"
