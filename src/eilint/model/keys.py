"""What eilint learned about private keys the configs reference: type and size only."""

from __future__ import annotations

from msgspec import Struct

from eilint.findings import Location

# Below these sizes a key is weak (NIST SP 800-57: RSA/DSA 2048, EC 224 bits).
MIN_BITS = {"RSA": 2048, "DSA": 2048, "EC": 224}


class KeyFacts(Struct, frozen=True):
    """A private key referenced from nginx or a node's keystore settings.

    ``status`` is ``ok`` (``kind`` and ``bits`` known), ``encrypted`` (size not
    readable without the passphrase) or ``unsupported`` (a format eilint does not
    read, e.g. PKCS#12). Keys that are not inside the given tree are not recorded.
    The key material itself never enters the model.
    """

    owner: str
    reference: str
    where: Location
    file: str
    status: str
    kind: str | None = None
    bits: int | None = None

    @property
    def weak(self) -> bool:
        """Return True when the key is known and below its type's minimum."""
        floor = MIN_BITS.get(self.kind or "")
        return self.status == "ok" and floor is not None and (self.bits or 0) < floor
