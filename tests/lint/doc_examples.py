"""Fails when a public item of the `tenantry` crate shows no code example in its docs.

Reads the crate's rustdoc JSON (see the Makefile's `doc-examples`) and walks the public API from
the crate root, following re-exports (rustdoc's own `missing_doc_code_examples` lint skips items
re-exported from private modules, which is most of this crate). Checked: functions, types,
traits, constants and statics, and the public methods of inherent impls and of traits. Like the
lint, it asks nothing of modules, fields, variants, associated types and constants, or trait
impls (whose docs are the trait's).
"""

import json
import sys

CHECKED = {"function", "struct", "enum", "union", "trait", "type_alias", "constant", "static"}


def kind(item: dict) -> str:
    return next(iter(item["inner"]))


def main(path: str) -> int:
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    index = doc["index"]
    seen: set[str] = set()
    missing: list[str] = []
    checked = 0

    def check(item: dict, name: str) -> None:
        nonlocal checked
        checked += 1
        if "```" not in (item.get("docs") or ""):
            span = item.get("span") or {}
            missing.append(f"{span.get('filename')}:{(span.get('begin') or [0])[0]}: {name}")

    def visit(item_id: int, path: str, public: bool) -> None:
        item = index.get(str(item_id))
        if item is None or item["crate_id"] != 0 or str(item_id) in seen:
            return  # another crate's item, or one already walked
        if not public and item["visibility"] != "public":
            return
        seen.add(str(item_id))
        what = kind(item)
        inner = item["inner"][what]
        name = f"{path}::{item['name']}" if path else item["name"]
        if what == "module":
            for child in inner["items"]:
                visit(child, name, False)
            return
        if what == "use":
            if inner["id"] is not None:
                target = index.get(str(inner["id"]))
                if inner["is_glob"] and target is not None and kind(target) == "module":
                    for child in target["inner"]["module"]["items"]:
                        visit(child, path, False)
                else:
                    visit(inner["id"], path, True)
            return
        if what in CHECKED:
            check(item, name)
        for impl_id in inner.get("impls", []):
            impl = index.get(str(impl_id))
            if impl is None or impl["crate_id"] != 0 or impl["inner"]["impl"]["trait"] is not None:
                continue
            for method in impl["inner"]["impl"]["items"]:
                m = index.get(str(method))
                if m is not None and kind(m) == "function" and m["visibility"] == "public":
                    check(m, f"{name}::{m['name']}")
        if what == "trait":
            for method in inner["items"]:
                m = index.get(str(method))
                if m is not None and kind(m) == "function":
                    check(m, f"{name}::{m['name']}")

    visit(doc["root"], "", True)
    for item in missing:
        print(f"no code example: {item}", file=sys.stderr)
    if missing or checked == 0:
        return 1
    print(f"doc-examples: all {checked} public items show an example")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
