"""Tour: build audit records with masked diffs, chain and seal them, catch tampering, export."""

from tenantry import audit

key = audit.SealKey("2025-01", b"load this from your secret store")
admin = {"type": "user", "id": "u_1", "email": "ada@example.com", "ip": "203.0.113.9"}

updated = audit.build(
    actor=admin,
    action="setting.updated",
    tenant_id="t_1",
    target={"type": "settings", "id": "t_1"},
    before={"theme": "light", "smtp": {"host": "mail.example.com", "password": "old"}},
    after={"theme": "dark", "smtp": {"host": "mail.example.com", "password": "new"}},
)
for change in updated["changes"]:
    print("audit:", change["path"], change["before"], "->", change["after"])

login = audit.build(actor=admin, action="user.login", tenant_id="t_1")
first = audit.seal(login, None, key)
second = audit.seal(updated, first["hash"], key)
chain = [first, second]
print("audit: chain ok =", audit.verify_chain(chain, key).ok)

chain[1]["actor"]["ip"] = "198.51.100.7"
report = audit.verify_chain(chain, key)
print("audit: after an edit -> index", report.index, "reason", report.reason)

print("audit: CSV has", len(audit.to_csv(chain).splitlines()), "lines")
print("audit: OCSF class", audit.to_ocsf(chain[1])["class_name"])
print("audit: stats", audit.summarize(chain)["by_action"])
