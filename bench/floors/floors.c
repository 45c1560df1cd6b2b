/*
 * The machine's floors, in C: what two processes on this machine can do at best, with no runtime, no harness and no
 * checks beyond the bench's own, so that a target of `dotnet run --project bench -- transports` (a ratio of Puma to a
 * kernel transport) can be told apart from a limit of the machine. Not part of the build; see bench/README.md,
 * "Floors of the machine".
 *
 *   gcc -O2 -o /tmp/floors bench/floors/floors.c && /tmp/floors 5
 *
 * Each line is the median of that many runs (and every run's figure):
 *   ring        64-byte messages through a shared-memory ring of 80-byte records (a 16-byte header with the tag the
 *               reader checks, as Puma's ring), written with non-temporal stores, cursor published every 64 messages
 *   unix        64-byte messages through a Unix stream socket, in 64 KiB writes and reads (the bench's `unix`)
 *   pipe        the same through a pipe (the bench's `pipe`)
 *   ring-64k-N  64 KiB messages through a ring of N MiB of 64 KiB slots, filled and verified in place (as Puma's claims
 *               and leases do), one cursor store per message; N = 1, 4, 16, 64
 *   unix-64k    64 KiB messages through a Unix stream socket, one write and one read each
 *   rtt-unix    round trip of one 64-byte message over a Unix socket, both ends blocking in read()
 *   rtt-futex   round trip through shared memory, both ends parked in futex() while they wait
 *   rtt-spin    round trip through shared memory, both ends spinning
 * Every throughput mode fills each message as the bench does (sequence, kind, a pattern at sequence % 251, the
 * sequence again) and the reader verifies every one (both sequence numbers and the 40-byte pattern).
 */
#define _GNU_SOURCE
#include <immintrin.h>
#include <linux/futex.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MESSAGES 100000000L
#define ROUND_TRIPS 20000
#define RING_BYTES (1 << 20)
#define RECORD 80
#define PUBLISH_EVERY 64
_Static_assert(MESSAGES % PUBLISH_EVERY == 0, "the ring reader releases in steps of PUBLISH_EVERY");
#define BATCH (64 * 1024)

static unsigned char pattern[512];
static unsigned char large_pattern[64 * 1024 + 256];

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void fill(char *m, long seq)
{
    memcpy(m, &seq, 8);
    memset(m + 8, 0, 8);
    memcpy(m + 16, pattern + seq % 251, 40);
    memcpy(m + 56, &seq, 8);
}

static void verify(const char *m, long seq)
{
    long first, last;
    memcpy(&first, m, 8);
    memcpy(&last, m + 56, 8);
    if (first != seq || last != seq || memcmp(m + 16, pattern + seq % 251, 40) != 0)
    {
        fprintf(stderr, "message %ld is not intact\n", seq);
        _exit(1);
    }
}

/* Runs the reader in a child that writes its rate (messages/s) to a pipe; returns it. */
static double measured(void (*reader)(void *, int), void (*writer)(void *), void *shared)
{
    int result[2];
    if (pipe(result) != 0)
        exit(1);
    pid_t child = fork();
    if (child < 0)
        exit(1);
    if (child == 0)
    {
        close(result[0]);
        reader(shared, result[1]);
        _exit(0);
    }
    close(result[1]);
    writer(shared);
    double rate = 0;
    if (read(result[0], &rate, sizeof rate) != sizeof rate)
        exit(1);
    close(result[0]);
    wait(NULL);
    return rate;
}

/* Spins until the writer's cursor has moved past pos; returns it. */
static long published_after(atomic_long *head, long pos)
{
    long seen;
    while ((seen = atomic_load_explicit(head, memory_order_acquire)) == pos)
        _mm_pause();
    return seen;
}

/* Sends the reader's rate (messages/s since start) to the parent. */
static void report_rate(int report, long messages, double start)
{
    double rate = messages / (now() - start);
    if (write(report, &rate, sizeof rate) != sizeof rate)
        _exit(1);
}

typedef struct
{
    _Alignas(64) atomic_long head;
    _Alignas(64) atomic_long tail;
    _Alignas(4096) char data[RING_BYTES];
} ring;

static void ring_reader(void *shared, int report)
{
    ring *r = shared;
    long pos = 0, head = 0, off = 0;
    double start = 0;
    while (pos < MESSAGES)
    {
        if (head == pos)
            head = published_after(&r->head, pos);
        if (pos == 0)
            start = now();
        for (; pos < head; pos++)
        {
            const char *record = r->data + off;
            long tag;
            memcpy(&tag, record, 8);
            if (tag != pos + 1)
            {
                fprintf(stderr, "record %ld has tag %ld\n", pos, tag);
                _exit(1);
            }
            verify(record + 16, pos);
            off += RECORD;
            if (off + RECORD > RING_BYTES)
                off = 0;
            if ((pos & (PUBLISH_EVERY - 1)) == PUBLISH_EVERY - 1)
                atomic_store_explicit(&r->tail, pos + 1, memory_order_release);
        }
    }
    report_rate(report, MESSAGES, start);
}

static void ring_writer(void *shared)
{
    ring *r = shared;
    const long records = RING_BYTES / RECORD;
    long pos = 0, tail = 0, off = 0;
    _Alignas(16) char record[RECORD];
    while (pos < MESSAGES)
    {
        while (pos - tail >= records - 2 * PUBLISH_EVERY)
        {
            tail = atomic_load_explicit(&r->tail, memory_order_acquire);
            _mm_pause();
        }
        long tag = pos + 1;
        memcpy(record, &tag, 8);
        memset(record + 8, 0, 8);
        fill(record + 16, pos);
        for (int k = 0; k < RECORD; k += 16)
            _mm_stream_si128((__m128i *)(r->data + off + k), _mm_load_si128((const __m128i *)(record + k)));
        off += RECORD;
        if (off + RECORD > RING_BYTES)
            off = 0;
        if ((++pos & (PUBLISH_EVERY - 1)) == 0)
        {
            _mm_sfence();
            atomic_store_explicit(&r->head, pos, memory_order_release);
        }
    }
}

static int stream_ends[2];

/* Writes all of it, or exits. */
static void write_all(int fd, const char *bytes, int length)
{
    for (int written = 0; written < length;)
    {
        int n = write(fd, bytes + written, length - written);
        if (n <= 0)
            exit(1);
        written += n;
    }
}

static void stream_reader(void *unused, int report)
{
    (void)unused;
    close(stream_ends[1]);
    static char buffer[BATCH];
    long pos = 0;
    int have = 0;
    double start = 0;
    while (pos < MESSAGES)
    {
        int n = read(stream_ends[0], buffer + have, BATCH - have);
        if (n <= 0)
            _exit(1);
        if (start == 0)
            start = now();
        have += n;
        int off = 0;
        for (; have - off >= 64; off += 64)
            verify(buffer + off, pos++);
        memmove(buffer, buffer + off, have - off);
        have -= off;
    }
    report_rate(report, MESSAGES, start);
}

static void stream_writer(void *unused)
{
    (void)unused;
    close(stream_ends[0]);
    static char buffer[BATCH];
    for (long pos = 0; pos < MESSAGES;)
    {
        for (int off = 0; off < BATCH; off += 64)
            fill(buffer + off, pos++);
        write_all(stream_ends[1], buffer, BATCH);
    }
    close(stream_ends[1]);
}

static double ring_rate(void)
{
    ring *r = mmap(0, sizeof(ring), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    double rate = measured(ring_reader, ring_writer, r);
    munmap(r, sizeof(ring));
    return rate;
}

static double stream_rate(int unix_socket)
{
    if (unix_socket ? socketpair(AF_UNIX, SOCK_STREAM, 0, stream_ends) : pipe(stream_ends))
        exit(1);
    if (unix_socket)
    {
        /* socketpair ends are bidirectional: the child reads [1], the parent writes [0]; swap to the pipe's order. */
        int t = stream_ends[0];
        stream_ends[0] = stream_ends[1];
        stream_ends[1] = t;
    }
    double rate = measured(stream_reader, stream_writer, NULL);
    close(stream_ends[0]);
    close(stream_ends[1]);
    return rate;
}

#define LARGE (64 * 1024)
#define LARGE_MESSAGES 100000L

typedef struct
{
    _Alignas(64) atomic_long head;
    _Alignas(64) atomic_long tail;
    _Alignas(64) long slots;
    _Alignas(4096) char data[];
} large_ring;

static void fill_large(char *m, long seq)
{
    memcpy(m, &seq, 8);
    memcpy(m + 16, large_pattern + seq % 251, LARGE - 24);
    memcpy(m + LARGE - 8, &seq, 8);
}

static void verify_large(const char *m, long seq)
{
    long first, last;
    memcpy(&first, m, 8);
    memcpy(&last, m + LARGE - 8, 8);
    if (first != seq || last != seq || memcmp(m + 16, large_pattern + seq % 251, LARGE - 24) != 0)
    {
        fprintf(stderr, "message %ld is not intact\n", seq);
        _exit(1);
    }
}

static void large_ring_reader(void *shared, int report)
{
    large_ring *r = shared;
    long pos = 0, head = 0;
    double start = 0;
    while (pos < LARGE_MESSAGES)
    {
        if (head == pos)
            head = published_after(&r->head, pos);
        if (start == 0)
            start = now();
        for (; pos < head; pos++)
        {
            verify_large(r->data + (pos % r->slots) * LARGE, pos);
            atomic_store_explicit(&r->tail, pos + 1, memory_order_release);
        }
    }
    report_rate(report, LARGE_MESSAGES, start);
}

static void large_ring_writer(void *shared)
{
    large_ring *r = shared;
    long tail = 0;
    for (long pos = 0; pos < LARGE_MESSAGES; pos++)
    {
        while (pos - tail >= r->slots)
        {
            tail = atomic_load_explicit(&r->tail, memory_order_acquire);
            _mm_pause();
        }
        fill_large(r->data + (pos % r->slots) * LARGE, pos);
        atomic_store_explicit(&r->head, pos + 1, memory_order_release);
    }
}

/* GB/s through a ring of the given size. */
static double large_ring_rate(long ring_bytes)
{
    size_t bytes = sizeof(large_ring) + ring_bytes;
    large_ring *r = mmap(0, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_POPULATE, -1, 0); /* no page faults timed */
    r->slots = ring_bytes / LARGE;
    double rate = measured(large_ring_reader, large_ring_writer, r);
    munmap(r, bytes);
    return rate * LARGE / 1e9;
}

static void large_stream_reader(void *unused, int report)
{
    (void)unused;
    close(stream_ends[1]);
    static char buffer[LARGE];
    double start = 0;
    for (long pos = 0; pos < LARGE_MESSAGES; pos++)
    {
        for (int have = 0; have < LARGE;)
        {
            int n = read(stream_ends[0], buffer + have, LARGE - have);
            if (n <= 0)
                _exit(1);
            if (start == 0)
                start = now();
            have += n;
        }
        verify_large(buffer, pos);
    }
    report_rate(report, LARGE_MESSAGES, start);
}

static void large_stream_writer(void *unused)
{
    (void)unused;
    close(stream_ends[0]);
    static char buffer[LARGE];
    for (long pos = 0; pos < LARGE_MESSAGES; pos++)
    {
        fill_large(buffer, pos);
        write_all(stream_ends[1], buffer, LARGE);
    }
    close(stream_ends[1]);
}

static double large_unix_rate(void)
{
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, stream_ends))
        exit(1);
    int t = stream_ends[0];
    stream_ends[0] = stream_ends[1];
    stream_ends[1] = t;
    double rate = measured(large_stream_reader, large_stream_writer, NULL);
    close(stream_ends[0]);
    close(stream_ends[1]);
    return rate * LARGE / 1e9;
}

static void futex_wait(atomic_int *word, int value) { syscall(SYS_futex, word, FUTEX_WAIT, value, NULL, NULL, 0); }
static void futex_wake(atomic_int *word) { syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0); }

/* The median round trip in microseconds. */
static double round_trip(const char *mode)
{
    static double samples[ROUND_TRIPS];
    if (strcmp(mode, "rtt-unix") == 0)
    {
        int ends[2];
        char message[64] = {0};
        socketpair(AF_UNIX, SOCK_STREAM, 0, ends);
        pid_t child = fork();
        if (child < 0)
            exit(1);
        if (child == 0)
        {
            for (int i = 0; i < ROUND_TRIPS; i++)
                if (read(ends[1], message, 64) != 64 || write(ends[1], message, 64) != 64)
                    _exit(1);
            _exit(0);
        }
        for (int i = 0; i < ROUND_TRIPS; i++)
        {
            double t = now();
            if (write(ends[0], message, 64) != 64 || read(ends[0], message, 64) != 64)
                exit(1);
            samples[i] = (now() - t) * 1e6;
        }
        close(ends[0]);
        close(ends[1]);
    }
    else
    {
        int spin = strcmp(mode, "rtt-spin") == 0;
        atomic_int *words = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        atomic_int *ping = words, *pong = words + 32; /* two cache lines apart */
        pid_t child = fork();
        if (child < 0)
            exit(1);
        if (child == 0)
        {
            for (int i = 1; i <= ROUND_TRIPS; i++)
            {
                while (atomic_load(ping) != i)
                    if (spin) _mm_pause(); else futex_wait(ping, i - 1);
                atomic_store(pong, i);
                if (!spin) futex_wake(pong);
            }
            _exit(0);
        }
        for (int i = 1; i <= ROUND_TRIPS; i++)
        {
            double t = now();
            atomic_store(ping, i);
            if (!spin) futex_wake(ping);
            while (atomic_load(pong) != i)
                if (spin) _mm_pause(); else futex_wait(pong, i - 1);
            samples[i - 1] = (now() - t) * 1e6;
        }
        munmap(words, 4096);
    }
    wait(NULL);
    qsort(samples, ROUND_TRIPS, sizeof(double), by_value);
    return samples[ROUND_TRIPS / 2];
}

int main(int argc, char **argv)
{
    int runs = argc > 1 ? atoi(argv[1]) : 5;
    if (runs < 1 || runs > 99)
    {
        fprintf(stderr, "usage: floors [runs 1..99]\n");
        return 2;
    }
    for (int i = 0; i < 512; i++)
        pattern[i] = (unsigned char)(i * 2654435761u >> 13);
    for (int i = 0; i < (int)sizeof large_pattern; i++)
        large_pattern[i] = (unsigned char)(i * 2654435761u >> 13);
    const char *modes[] = {"ring", "unix", "pipe", "ring-64k-1", "ring-64k-4", "ring-64k-16", "ring-64k-64", "unix-64k",
                           "rtt-unix", "rtt-futex", "rtt-spin"};
    for (int m = 0; m < 11; m++)
    {
        double figures[99];
        for (int k = 0; k < runs; k++)
            figures[k] = m == 0 ? ring_rate() / 1e6
                : m < 3 ? stream_rate(m == 1) / 1e6
                : m < 7 ? large_ring_rate((1L << 20) << (2 * (m - 3)))
                : m == 7 ? large_unix_rate()
                : round_trip(modes[m]);
        double sorted[99];
        memcpy(sorted, figures, sizeof(double) * runs);
        qsort(sorted, runs, sizeof(double), by_value);
        printf("%-12s %8.1f %-7s  runs:", modes[m], sorted[runs / 2], m < 3 ? "M msg/s" : m < 8 ? "GB/s" : "us p50");
        for (int k = 0; k < runs; k++)
            printf(" %.1f", figures[k]);
        printf("\n");
        fflush(stdout);
    }
    return 0;
}
