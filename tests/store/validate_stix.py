#!/usr/bin/env python3
"""Validates a STIX 2.1 bundle against the OASIS JSON schemas.

    validate_stix.py SCHEMA_DIR BUNDLE.json

SCHEMA_DIR is the stix2.1/schemas folder (common/, sdos/, sros/,
observables/).  Every object is validated by the bundle schema, and each
core object again by its own schema.  Objects of the phone-number extension
(extension-definition--14a97ee2-...) are checked against the properties its
definition gives: an E.164 `number` and the extension entry with
extension_type "new-sco".  Exit status 0 valid, 1 invalid, 77 when no
jsonschema module is available.
"""
import json
import os
import re
import sys

try:
    import jsonschema
except ImportError:
    print("validate_stix: python3-jsonschema is not installed")
    sys.exit(77)

PHONE_EXT = "extension-definition--14a97ee2-e666-5ada-a6bd-b7177f79e211"


def load_store(root):
    store = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            if name.endswith(".json"):
                with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                    schema = json.load(f)
                store[schema.get("$id", name)] = schema
    return store


def validator_for(store, schema):
    cls = jsonschema.validators.validator_for(schema)
    # RefResolver exists in every jsonschema 4.x (deprecated from 4.18 but
    # kept); Debian 12 ships 4.10.
    resolver = jsonschema.RefResolver(schema["$id"], schema, store=store)
    return cls(schema, resolver=resolver)


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    root, path = sys.argv[1], sys.argv[2]
    store = load_store(root)
    bundle_schema = next(s for k, s in store.items() if k.endswith("common/bundle.json"))
    with open(path, encoding="utf-8") as f:
        bundle = json.load(f)
    errors = []
    for e in validator_for(store, bundle_schema).iter_errors(bundle):
        errors.append("bundle: %s at %s" % (e.message[:300], list(e.absolute_path)))
    by_type = {}
    for k, s in store.items():
        m = re.search(r"/(sdos|sros|observables)/([a-z0-9-]+)\.json$", k)
        if m:
            by_type[m.group(2)] = s
    counts = {}
    for obj in bundle.get("objects", []):
        t = obj.get("type")
        counts[t] = counts.get(t, 0) + 1
        if t in by_type:
            for e in validator_for(store, by_type[t]).iter_errors(obj):
                errors.append("%s: %s" % (obj.get("id"), e.message[:300]))
        if t == "phone-number":
            if not re.fullmatch(r"\+[1-9][0-9]{6,14}", obj.get("number", "")):
                errors.append("%s: number is not E.164" % obj.get("id"))
            ext = obj.get("extensions", {}).get(PHONE_EXT)
            if not ext or ext.get("extension_type") != "new-sco":
                errors.append("%s: missing the phone-number extension" % obj.get("id"))
    ids = [o.get("id") for o in bundle.get("objects", [])]
    known = set(ids)
    if len(ids) != len(known):
        errors.append("duplicate object ids")
    for o in bundle.get("objects", []):
        for key in ("source_ref", "target_ref", "sighting_of_ref"):
            if key in o and o[key] not in known:
                errors.append("%s: %s %s is not in the bundle" % (o["id"], key, o[key]))
    print("validate_stix: %d objects %s" % (len(ids), json.dumps(counts, sort_keys=True)))
    for e in errors[:20]:
        print("  " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
