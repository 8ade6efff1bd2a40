"""Many-to-many changes in the audit log, folded into the entry of the same save.

django-auditlog writes one entry per many-to-many signal: a commitment created with two
participating organisations made two entries (the commitment, then its participants), and
changing the participants (`set()`, which removes and then adds) two more. Here a change of the
fields named in `settings.AUDIT_LOG_M2M_FIELDS` joins the entry already written for the same
object within the same still-open transaction block (the service's or the admin form's), so that
one save of a commitment, its fields and participants together, is one entry. Outside such a
block, or when no entry was written for the object in it, the change is an entry of its own.

Stored as `{field: {"type": "m2m", "added": [names], "removed": [names]}}` (names as they were
then, like the other values).
"""

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from auditlog.context import auditlog_disabled
from auditlog.models import LogEntry
from auditlog.signals import post_log
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import router, transaction
from django.db.models.signals import m2m_changed
from django.utils.encoding import smart_str


@dataclass
class _Written:
    content_type_id: int
    object_pk: str
    entry_pk: int
    changes: dict[str, Any]
    block: tuple | None  # the innermost transaction block open when it was written


# The last entry written in this thread or task: the one a many-to-many change may join.
_last: ContextVar[_Written | None] = ContextVar("audit_last_entry", default=None)


def _connection(model):
    return transaction.get_connection(router.db_for_write(model))


def _open_blocks(model) -> list[tuple]:
    """The open atomic blocks, outermost first, as (their Atomic, their savepoint). A decorated
    function's Atomic is the same object at every call, so the savepoint (unique; None for the
    outermost block, which has none) tells two calls apart; and the slot is cleared when the
    outermost block commits."""
    connection = _connection(model)
    blocks = list(connection.atomic_blocks)
    savepoints = list(connection.savepoint_ids)
    savepoints = [None] * (len(blocks) - len(savepoints)) + savepoints
    return list(zip(blocks, savepoints, strict=True))


def _innermost_block(model) -> tuple | None:
    """The innermost block that could be rolled back on its own: one with a savepoint, or the
    outermost. Blocks without a savepoint (those of a many-to-many set(), say) are part of it."""
    blocks = _open_blocks(model)
    for index in range(len(blocks) - 1, -1, -1):
        if index == 0 or blocks[index][1] is not None:
            return blocks[index]
    return None


def _block_is_open(model, block: tuple | None) -> bool:
    if block is None:
        return False
    atomic, savepoint = block
    return any(open_ is atomic and sid == savepoint for open_, sid in _open_blocks(model))


def _remember(entry: LogEntry, instance) -> None:
    written = _Written(
        content_type_id=entry.content_type_id,
        object_pk=str(entry.object_pk),
        entry_pk=entry.pk,
        changes=dict(entry.changes or {}),
        block=_innermost_block(type(instance)),
    )
    _last.set(written)

    def forget():
        if _last.get() is written:
            _last.set(None)

    # When the whole transaction commits, no later change belongs to this save.
    transaction.on_commit(forget, using=router.db_for_write(type(instance)))


def on_post_log(sender, instance, log_entry=None, log_created=False, **kwargs) -> None:
    """django-auditlog wrote an entry: remember it, for the many-to-many change that may follow."""
    if log_created and log_entry is not None:
        _remember(log_entry, instance)


def _record(instance, field_name: str, *, added=(), removed=()) -> None:
    added, removed = sorted(map(smart_str, added)), sorted(map(smart_str, removed))
    if not added and not removed:
        return
    content_type = ContentType.objects.get_for_model(instance)
    last = _last.get()
    if (
        last is not None
        and last.content_type_id == content_type.pk
        and last.object_pk == str(instance.pk)
        and _block_is_open(type(instance), last.block)
    ):
        change = last.changes.get(field_name)
        if not (isinstance(change, dict) and "added" in change):
            change = {"type": "m2m", "added": [], "removed": []}
        # The net change of the save: a name removed and added back was not changed.
        before_added, before_removed = set(change["added"]), set(change["removed"])
        change["added"] = sorted((before_added - set(removed)) | (set(added) - before_removed))
        change["removed"] = sorted((before_removed - set(added)) | (set(removed) - before_added))
        last.changes[field_name] = change
        if LogEntry.objects.filter(pk=last.entry_pk).update(changes=last.changes):
            return
        added, removed = change["added"], change["removed"]  # its entry was rolled back
    entry = LogEntry.objects.log_create(
        instance,
        action=LogEntry.Action.UPDATE,
        changes={field_name: {"type": "m2m", "added": added, "removed": removed}},
    )
    _remember(entry, instance)


def _receiver(model, field_name: str):
    field = model._meta.get_field(field_name)
    related = field.related_model

    def on_m2m_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
        # From the other side (organisation.joint_commitments.add(...)) nothing is recorded:
        # the portal never changes them from there (django-simple-history cannot either).
        if reverse or auditlog_disabled.get():
            return
        if action == "pre_clear":
            # Cleared rows are gone by post_clear: take their names now.
            _record(instance, field_name, removed=getattr(instance, field_name).all())
        elif action in ("post_add", "post_remove") and pk_set:
            objects = related._default_manager.filter(pk__in=pk_set)
            _record(
                instance, field_name, **{"added" if action == "post_add" else "removed": objects}
            )

    return on_m2m_changed


def connect() -> None:
    """Connect the receivers for settings.AUDIT_LOG_M2M_FIELDS (called once, in audit.apps)."""
    post_log.connect(on_post_log, dispatch_uid="audit.relations.post_log", weak=False)
    for label, field_names in getattr(settings, "AUDIT_LOG_M2M_FIELDS", {}).items():
        model = apps.get_model(label)
        for field_name in field_names:
            m2m_changed.connect(
                _receiver(model, field_name),
                sender=getattr(model, field_name).through,
                dispatch_uid=f"audit.relations.{label}.{field_name}",
                weak=False,
            )
