# SPDX-License-Identifier: ISC
"""Note onsets in a recording: WAV reading (float or PCM, as Ardour writes
it) and onset counting on the level envelope, with hysteresis."""

import struct


def read_wav(path):
    """(rate, first channel as floats) of a RIFF/RF64 WAV file."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] not in (b"RIFF", b"RF64") or data[8:12] != b"WAVE":
        raise ValueError(f"{path}: not a WAV file")
    pos, fmt, body = 12, None, None
    while pos + 8 <= len(data):
        cid, size = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])[0]
        if cid == b"data" and (size == 0xFFFFFFFF or pos + 8 + size > len(data)):
            size = len(data) - pos - 8
        chunk = data[pos + 8:pos + 8 + size]
        if cid == b"fmt ":
            tag, channels, rate, _, _, bits = struct.unpack("<HHIIHH", chunk[:16])
            if tag == 0xFFFE:
                tag = struct.unpack("<H", chunk[24:26])[0]
            fmt = (tag, channels, rate, bits)
        elif cid == b"data":
            body = chunk
        pos += 8 + size + (size & 1)
    if not fmt or body is None:
        raise ValueError(f"{path}: no fmt or data chunk")
    tag, channels, rate, bits = fmt
    width = bits // 8
    frame = width * channels
    n = len(body) // frame
    out = []
    for i in range(n):
        b = body[i * frame:i * frame + width]
        if tag == 3 and width == 4:
            out.append(struct.unpack("<f", b)[0])
        elif tag == 1 and width in (2, 3, 4):
            v = int.from_bytes(b, "little", signed=True)
            out.append(v / float(1 << (bits - 1)))
        else:
            raise ValueError(f"{path}: sample format {tag}/{bits} bits not read here")
    return rate, out


def onsets(samples, rate, block_ms=2.0, window=6):
    """Times (s) where the envelope (the peak over `window` blocks, longer
    than a bass note's period) rises past half its maximum after falling
    below a quarter of it."""
    block = max(1, int(rate * block_ms / 1000))
    peaks = [max(abs(x) for x in samples[i:i + block]) for i in range(0, len(samples), block)]
    env = [max(peaks[k:k + window]) for k in range(len(peaks))]
    top = max(env) if env else 0.0
    hi, lo = 0.5 * top, 0.25 * top
    times, high = [], False
    for k, e in enumerate(env):
        if not high and e > hi:
            times.append(k * block / rate)
            high = True
        elif high and e < lo:
            high = False
    return times


def rate_between(times, start, end):
    """Onsets per second in [start, end)."""
    return sum(1 for t in times if start <= t < end) / (end - start)
