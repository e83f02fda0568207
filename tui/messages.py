"""Messages more than one part of the reader posts."""

from __future__ import annotations

from dataclasses import dataclass

from textual.dom import DOMNode
from textual.message import Message
from textual.worker import Worker, WorkerState


@dataclass
class WorkFailed(Message, bubble=False):
    """A worker (a library call, a search) raised: the app shows it in one line."""

    group: str
    error: BaseException | None


def report_failures(node: DOMNode, event: Worker.StateChanged) -> None:
    """A Worker.StateChanged handler (workers report to the node that started them): failures
    go to the app, which alone turns them into a message on screen."""
    if event.state == WorkerState.ERROR:
        node.app.post_message(WorkFailed(event.worker.group, event.worker.error))
