"""Threads as trees: one thread-ordered list of comments → nested nodes, as a reader sees them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .models import Comment, CommentState

# Replies nest this deep; deeper replies sit at this depth and say whom they answer.
MAX_DEPTH = 3


@dataclass
class ThreadNode:
    comment: Comment
    depth: int = 0
    children: list[ThreadNode] = field(default_factory=list)
    replying_to: Comment | None = None  # set when flattened below MAX_DEPTH

    @property
    def is_gone(self) -> bool:
        return self.comment.state != CommentState.VISIBLE


def build_threads(
    comments: list[Comment],
    keep: Callable[[Comment], bool] | None = None,
    *,
    partial: bool = False,
) -> list[ThreadNode]:
    """Trees from one thread-ordered list of comments (oldest first).

    Replies nest up to `MAX_DEPTH`; deeper ones join their ancestor at that depth and name
    whom they answer. Deleted or hidden comments stay as placeholders only while a visible
    reply hangs below them, or while `keep(comment)` says this viewer still sees them.

    `partial`: the list holds only some of each thread's replies (`discussions.thread_pages`);
    a reply whose parent is not among them answers its thread, naming whom it replies to.
    """
    nodes: dict[int, ThreadNode] = {}
    roots: list[ThreadNode] = []
    by_pk = {comment.pk: comment for comment in comments}
    for comment in comments:
        parent_node = nodes.get(comment.parent_id) if comment.parent_id else None
        root_node = nodes.get(comment.root_id) if partial and comment.root_id else None
        if comment.parent_id and parent_node is None and root_node is not None:
            parent_joined = Comment.parent.field.is_cached(comment)
            replying_to = comment.parent if parent_joined else None
            node = ThreadNode(comment, 1, replying_to=replying_to)
            root_node.children.append(node)
            nodes[comment.pk] = node
            continue
        if comment.parent_id and parent_node is None:
            continue  # its parent is not shown to this reader
        if parent_node is None:
            node = ThreadNode(comment, 0)
            roots.append(node)
        elif parent_node.depth < MAX_DEPTH:
            node = ThreadNode(comment, parent_node.depth + 1)
            parent_node.children.append(node)
        else:
            holder = parent_node
            while holder.depth > MAX_DEPTH - 1 and holder.comment.parent_id in nodes:
                holder = nodes[holder.comment.parent_id]
            node = ThreadNode(comment, MAX_DEPTH, replying_to=by_pk.get(comment.parent_id))
            holder.children.append(node)
        nodes[comment.pk] = node
    return [node for node in (_prune(root, keep) for root in roots) if node is not None]


def _prune(node: ThreadNode, keep: Callable[[Comment], bool] | None) -> ThreadNode | None:
    node.children = [c for c in (_prune(c, keep) for c in node.children) if c is not None]
    if node.is_gone and not node.children and not (keep and keep(node.comment)):
        return None
    return node


def count_comments(nodes: list[ThreadNode]) -> int:
    total = 0
    for node in nodes:
        total += (0 if node.is_gone else 1) + count_comments(node.children)
    return total
