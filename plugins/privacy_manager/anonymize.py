"""Masking IP addresses the way Matomo does."""

from __future__ import annotations

import ipaddress

IPV6_KEPT_BITS = {0: 128, 1: 64, 2: 48, 3: 24, 4: 0}
"""Mask length (setting) -> leading bits of an IPv6 address that are kept."""


def mask_ip(packed: bytes, mask_length: int) -> bytes:
    """Zero the last ``mask_length`` bytes of an IPv4 address (IPv4-mapped IPv6 included), or keep
    /64, /48, /24 or nothing of an IPv6 address for mask lengths 1 to 4."""
    mask_length = max(0, min(4, mask_length))
    if len(packed) == 4:
        return packed[: 4 - mask_length] + b"\x00" * mask_length
    address = ipaddress.IPv6Address(packed)
    if address.ipv4_mapped is not None:
        return packed[: 16 - mask_length] + b"\x00" * mask_length
    kept = IPV6_KEPT_BITS[mask_length]
    value = int(address) >> (128 - kept) << (128 - kept) if kept else 0
    return value.to_bytes(16, "big")
