"""Approvals that stay true: each sign-off remembers what it approved.

When a role signs (its decision is filled in), the save records a *fingerprint* of the spec's content
at that moment: a digest of every answer except the sign-offs themselves, the review status and the
date intwizard sets on each save. It is kept in the draft's ``intwizard:`` bookkeeping::

    intwizard:
      signoffs:
        security_review:
          signature: 3f0c9a1e77d2b410
          fingerprint: 9b1d0e5c2a4f8e33
          recorded: 2026-11-18

``signature`` is a digest of the role's own parts (name, date, decision): a new signature (someone
signed again) records a new fingerprint; the same signature keeps the old one, so once the content
changes the sign-off is *stale*. ``check`` reports a stale sign-off (an error when the spec says it is
approved or the role is required at its level), the export marks it, and ``intwizard diff DRAFT
--since-signoff ROLE`` finds the version it approved in the git history.

What counts as approved, and which part is the decision, come from the schema's ``approval``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from intwizard.core.draft import META_KEY, Draft
from intwizard.core.schema import Node, Schema
from intwizard.core.values import as_mapping, as_text, choice_match, is_blank
from intwizard.errors import InputError

RECORD_KEY = "signoffs"
STALE_RULE = "stale-signoff"


def _normal(value: Any) -> Any:
    """Values as the fingerprint sees them: plain, dates as text, blank as nothing, no trailing spaces."""
    if isinstance(value, dict):
        kept = {str(k): _normal(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v is not None}
    if isinstance(value, list):
        return [_normal(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        text = "\n".join(line.rstrip() for line in str(value).strip().splitlines())
        return text or None
    return value


def _digest(value: Any) -> str:
    import hashlib  # here: its OpenSSL costs every save 3 ms to load
    import json  # here, as in fingerprint: only a sign-off needs it, and its import costs every save 1.5 ms

    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _excluded(schema: Schema) -> list[str]:
    """Paths left out of the fingerprint: the sign-offs, the review status, the save date."""
    paths = []
    if schema.signoff is not None:
        paths.append(schema.signoff.path)
    if schema.approval is not None:
        paths.append(schema.approval.status_field)
    updated = schema.auto_field("updated")
    if updated is not None:
        paths.append(updated.path)
    return paths


def fingerprint(schema: Schema, data: dict[str, Any]) -> str:
    """A digest of the spec's content: every answer except sign-offs, review status and last update."""
    import json

    content = {k: v for k, v in as_mapping(data).items() if k != META_KEY}
    content = json.loads(json.dumps(_normal(content), default=str))  # a copy to cut paths out of
    for path in _excluded(schema):
        *parents, last = path.split(".")
        holder: Any = content
        for part in parents:
            holder = as_mapping(holder).get(part)
        if isinstance(holder, dict):
            holder.pop(last, None)
    return _digest(content)


def signature(parts: Any) -> str:
    """A digest of one role's sign-off (name, date, decision)."""
    return _digest(_normal(as_mapping(parts)))


def _decision(schema: Schema, parts: dict[Any, Any]) -> str:
    key = schema.approval.decision if schema.approval is not None else "decision"
    return as_text(parts.get(key)).strip()


def _signed(schema: Schema, data: dict[str, Any]) -> dict[str, dict[Any, Any]]:
    """Each role that has a decision: role key -> its parts."""
    node = schema.signoff
    if node is None:
        return {}
    signed: Any = data
    for part in node.path.split("."):
        signed = as_mapping(signed).get(part)
    return {role.key: as_mapping(as_mapping(signed).get(role.key)) for role in node.roles
            if _decision(schema, as_mapping(as_mapping(signed).get(role.key)))}


def records(data: dict[str, Any]) -> dict[str, dict[Any, Any]]:
    return {str(k): as_mapping(v) for k, v in as_mapping(as_mapping(data.get(META_KEY)).get(RECORD_KEY)).items()}


def record(draft: Draft, today: dt.date | None = None) -> bool:
    """Before a save: fingerprint each role signed in this session (``draft.edited``), forget roles
    unsigned in it. A sign-off typed into the file by hand, or signed in an earlier session, keeps its
    record. Returns whether the bookkeeping changed."""
    from ruamel.yaml.comments import CommentedMap

    schema = draft.schema
    node = schema.signoff
    if node is None or not draft.edited:
        return False
    touched = [role.key for role in node.roles if _edited(draft, node, role.key)]
    if not touched:
        return False
    data = draft.plain()
    signed = _signed(schema, data)
    kept = records(data)
    content = fingerprint(schema, data)
    # Signed in this session: the fingerprint follows the content until the session's last save (a
    # person who signs and then fixes a typo vouches for what they saved).
    add = {key: signature(signed[key]) for key in touched if key in signed
           and (kept.get(key, {}).get("signature"), kept.get(key, {}).get("fingerprint")) != (
               signature(signed[key]), content)}
    drop = [key for key in touched if key not in signed and key in kept]
    if not add and not drop:
        return False
    from intwizard.core.draft import bookkeeping

    meta = bookkeeping(draft)
    holder = meta.get(RECORD_KEY)
    if not isinstance(holder, dict):
        holder = meta[RECORD_KEY] = CommentedMap()
    for key in drop:
        del holder[key]
    for key, mark in add.items():
        holder[key] = CommentedMap([("signature", mark), ("fingerprint", content),
                                    ("recorded", today or dt.date.today())])
    if not holder:
        del meta[RECORD_KEY]
    return True


def _edited(draft: Draft, signoff: Node, role_key: str) -> bool:
    """Whether this session set the role's sign-off (or the whole sign-off block)."""
    role_path = f"{signoff.path}.{role_key}"
    return any(path in (signoff.path, role_path) or path.startswith(role_path + ".") for path in draft.edited)


def _role(schema: Schema, key: str) -> Node:
    node = schema.signoff
    roles = node.roles if node is not None else ()
    for role in roles:
        if key.strip().casefold() in (role.key.casefold(), role.label.casefold()):
            return role
    known = ", ".join(f"{role.key} ({role.label})" for role in roles) or "none"
    raise InputError(f"no sign-off role {key!r} (roles: {known})")


def stale_roles(schema: Schema, data: dict[str, Any]) -> dict[str, str]:
    """Roles whose sign-off was fingerprinted and whose content changed since: role key -> since when."""
    signed = _signed(schema, data)
    found = {}
    current = None
    for role_key, kept in records(data).items():
        parts = signed.get(role_key)
        if parts is None or kept.get("signature") != signature(parts):
            continue  # signed anew since (recorded at the next save), or no longer signed
        current = current or fingerprint(schema, data)
        if kept.get("fingerprint") != current:
            date_key = next((part.key for part in schema.signoff.children if part.kind == "date"), "") \
                if schema.signoff else ""
            found[role_key] = as_text(parts.get(date_key)).strip() or as_text(kept.get("recorded"))
    return found


def _approved(schema: Schema, data: dict[str, Any]) -> bool:
    if schema.approval is None:
        return False
    node = schema.node(schema.approval.status_field)
    value: Any = data
    for part in schema.approval.status_field.split("."):
        value = as_mapping(value).get(part)
    return node is not None and not is_blank(value) and choice_match(node, as_text(value)) == schema.approval.approved


def findings(schema: Schema, data: dict[str, Any]) -> list[Any]:
    """Stale sign-offs, and an approved status that a required role's sign-off does not back."""
    from intwizard.core.checks import ERROR, WARNING, Finding, level_of

    node = schema.signoff
    if node is None or schema.approval is None:
        return []
    section = node.path.split(".", 1)[0]
    level = level_of(schema, data)
    approved = _approved(schema, data)
    status = schema.node(schema.approval.status_field)
    status_label = status.label if status else "status"
    stale = stale_roles(schema, data)
    signed = _signed(schema, data)
    found = []
    for role in node.roles:
        path = f"{node.path}.{role.key}"
        required = level is not None and level in role.required_at
        if role.key in stale:
            why = (f"; {status_label} is {schema.approval.approved}" if approved else
                   f"; it is required for {level} specs" if required else "")
            found.append(Finding(section, path,
                                 f"{role.label} sign-off is stale: the spec changed since it was signed "
                                 f"({stale[role.key]}){why}. Sign again, or see what changed with "
                                 f"`intwizard diff DRAFT --since-signoff {role.key}`",
                                 ERROR if approved or required else WARNING, STALE_RULE))
        elif approved and required and role.key in signed and \
                choice_match(node.child(schema.approval.decision) or role, _decision(schema, signed[role.key])) \
                != schema.approval.approve:
            found.append(Finding(section, path,
                                 f"{status_label} is {schema.approval.approved}, but {role.label} decided "
                                 f"{_decision(schema, signed[role.key])!r}", ERROR, "approved-unbacked"))
        elif approved and required and role.key not in signed:
            found.append(Finding(section, path,
                                 f"{status_label} is {schema.approval.approved}, but {role.label} has not signed",
                                 ERROR, "approved-unbacked"))
    return found


def for_export(schema: Schema, data: dict[str, Any]) -> dict[str, Any]:
    """The data with each stale sign-off's decision marked ``(stale: changed since YYYY-MM-DD)``."""
    stale = stale_roles(schema, data)
    node = schema.signoff
    if not stale or node is None or schema.approval is None:
        return data
    copy = dict(data)
    holder: dict[Any, Any] = copy
    parts = node.path.split(".")
    for part in parts:
        holder[part] = dict(as_mapping(holder.get(part)))
        holder = holder[part]
    for role_key, since in stale.items():
        role = dict(as_mapping(holder.get(role_key)))
        decision = as_text(role.get(schema.approval.decision)).strip()
        role[schema.approval.decision] = f"{decision} (stale: changed since {since})"
        holder[role_key] = role
    return copy


def approved_revision(schema: Schema, path: Path, role_key: str, data: dict[str, Any],
                      read: Any) -> str | None:
    """The newest git revision of ``path`` whose content has the fingerprint ``role_key`` signed.

    ``read(raw, where)`` turns a blob into data. None when the file as it is still has it (nothing
    changed since); an InputError when the role has no fingerprint or no revision has it."""
    from intwizard.core.gitio import git, history

    role = _role(schema, role_key)
    kept = records(data).get(role.key)
    if not kept or not kept.get("fingerprint"):
        raise InputError(f"{role.label} has no recorded sign-off (a sign-off gets its fingerprint when intwizard "
                         "saves it: `intwizard set`, the wizard, or a merge)", path=path)
    wanted = kept["fingerprint"]
    if fingerprint(schema, data) == wanted:
        return None
    folder = path.resolve().parent
    for rev in history(path):
        blob = git("show", f"{rev}:./{path.name}", cwd=folder, check=False)
        if blob.returncode != 0:
            continue
        try:
            if fingerprint(schema, read(blob.stdout, Path(f"{rev[:12]}:{path}"))) == wanted:
                return rev
        except InputError:
            continue
    raise InputError(f"cannot say what changed since {role.label} signed: no version in the git history has "
                     f"the content it approved (fingerprint {wanted})", path=path)
