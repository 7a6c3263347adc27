"""Small, valid cluster TOML pieces with known line numbers, for tests of invalid files."""

from __future__ import annotations

HEAD = '[cluster]\nname = "c"\n'  # 2 lines
NET = '[[networks]]\nname = "LM"\nsubnet = "192.168.10.0/24"\nspeed_gbps = 10\n'  # 4 lines
NODE_KEYS = {"name": '"hv01"', "os": '"Windows Server 2008 R2"', "edition": '"Datacenter"',
             "installation": '"full"', "architecture": '"x64"', "cpu_vendor": '"Intel"',
             "ip": '"10.0.0.11/24"', "shared_storage": "true"}


def node_toml(**values: str | None) -> str:
    """A [[nodes]] table of 9 lines: header, then name ... shared_storage in NODE_KEYS order."""
    keys = {**NODE_KEYS, **values}
    return "[[nodes]]\n" + "".join(f"{k} = {v}\n" for k, v in keys.items() if v is not None)


def vm_toml(**values: str) -> str:
    keys = {"name": '"v1"', "node": '"hv01"', "memory_gb": "4", **values}
    return "[[vms]]\n" + "".join(f"{k} = {v}\n" for k, v in keys.items())
