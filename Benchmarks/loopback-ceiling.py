#!/usr/bin/env python3
"""How fast this machine's loopback carries a file when nothing else is done with the bytes.

Sends FILE from a thread with sendfile(2) and receives it in another into one reused buffer
(no parsing, no writing), over 1 and 2 TCP connections (2: each carries half the file), and
prints wall time, MB/s (10^6 bytes) and the CPU time of both ends (this process: user +
system). It is the ceiling for any `pricing fetch` over loopback on the machine, set beside
`pricing import` of the same file from the page cache (issue 10's ratio; BENCHMARKS.md).

    python3 Benchmarks/loopback-ceiling.py FILE [RUNS]
"""
import os, resource, socket, statistics, sys, threading, time


def transfer(path, size, connections):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(connections)
    port = server.getsockname()[1]
    part = size // connections

    def send(conn, index):
        length = part if index < connections - 1 else size - part * (connections - 1)
        with open(path, "rb") as source:
            conn.sendfile(source, index * part, length)
        conn.close()

    def accept():
        for _ in range(connections):
            conn, _ = server.accept()
            index = int(conn.recv(8))
            threading.Thread(target=send, args=(conn, index)).start()

    received = [0] * connections

    def receive(index):
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(b"%8d" % index)
        view = memoryview(bytearray(1 << 20))
        while True:
            count = sock.recv_into(view)
            if count == 0:
                break
            received[index] += count
        sock.close()

    acceptor = threading.Thread(target=accept)
    acceptor.start()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    receivers = [threading.Thread(target=receive, args=(i,)) for i in range(connections)]
    for thread in receivers:
        thread.start()
    for thread in receivers:
        thread.join()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    acceptor.join()
    server.close()
    if sum(received) != size:
        sys.exit("received %d bytes of %d" % (sum(received), size))
    return wall, (after.ru_utime - usage.ru_utime) + (after.ru_stime - usage.ru_stime)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    path = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    size = os.path.getsize(path)
    with open(path, "rb") as source:  # into the page cache first
        while source.read(1 << 24):
            pass
    print("file: %s (%d bytes); %d cores; load: %s" % (path, size, os.cpu_count(), os.getloadavg()))
    for connections in (1, 2):
        results = [transfer(path, size, connections) for _ in range(runs)]
        wall = statistics.median(r[0] for r in results)
        cpu = statistics.median(r[1] for r in results)
        print("%d connection(s): median %.3f s, %.0f MB/s, CPU of both ends %.2f s (%d runs)"
              % (connections, wall, size / wall / 1e6, cpu, runs))


main()
