"""The official OpenAI Python SDK's `upload_file_chunked` against the standalone
uploads server, for comparison with `benches/upload.rs` (README, "Uploading
large files"). Run by hand:

    python3 -m venv /work/venv-openai && /work/venv-openai/bin/pip install openai
    cargo run --release -p apigen-generated --example uploads_server -- --port 8911 &
    /work/venv-openai/bin/python generated/benches/upload_python_sdk.py --size-mib 1024 --base-url http://127.0.0.1:8911

Prints the time, the throughput and the peak RSS of this process.
"""

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

import openai

TOKEN = "sk-test-secret-token"  # the one the uploads server checks


def make_file(directory: str, size_mib: int) -> Path:
    """The same content as benches/upload.rs writes."""
    path = Path(directory) / "bench.jsonl"
    block = bytes(i % 256 for i in range(1 << 20))
    with open(path, "wb") as file:
        for mib in range(size_mib):
            file.write(block.translate(bytes(b ^ (mib % 256) for b in range(256))))
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--base-url", default="http://127.0.0.1:8911")
    args = parser.parse_args()
    client = openai.OpenAI(api_key=TOKEN, base_url=args.base_url)
    with tempfile.TemporaryDirectory() as directory:
        path = make_file(directory, args.size_mib)
        size = os.path.getsize(path)
        started = time.perf_counter()
        upload = client.uploads.upload_file_chunked(file=path, mime_type="text/jsonl", purpose="batch", bytes=size)
        seconds = time.perf_counter() - started
    assert upload.status == "completed", upload
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024  # KiB on Linux
    print(f"python sdk {openai.__version__}: {seconds:.2f} s, {args.size_mib / seconds:.0f} MiB/s, peak RSS {peak_mib} MiB")


if __name__ == "__main__":
    main()
