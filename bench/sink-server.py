#!/usr/bin/env python3
"""The upload client's floor: an HTTP server that reads each request body and throws it away.
No parsing, no files, no hashing: what the peers' load/upload.sh measures against it is the speed
of curl and the loopback alone, the most any server could show on this machine.
  sink-server.py PORT"""
import socket
import sys

port = int(sys.argv[1])
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port))
srv.listen(16)
buf = bytearray(1 << 20)
view = memoryview(buf)
while True:
    conn, _ = srv.accept()
    with conn:
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = conn.recv(65536)
            if not chunk:
                break
            head += chunk
        if b"\r\n\r\n" not in head:
            continue
        headers, _, rest = head.partition(b"\r\n\r\n")
        length = 0
        for line in headers.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        left = length - len(rest)
        while left > 0:
            n = conn.recv_into(view, min(left, len(buf)))
            if n == 0:
                break
            left -= n
        body = b'{"sink":true}'
        conn.sendall(b"HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nConnection: close\r\n"
                     b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
