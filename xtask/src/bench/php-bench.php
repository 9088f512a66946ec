<?php
// In-memory benchmark of php-worker.php's step(): the same setup as the Rust
// `http/worker_over_stream_relay` and the Go `BenchmarkWorkerStep` benchmarks (one request
// frame read from memory, decoded, answered into memory), on the very same request bytes.
//
// Run with the flags `cargo xtask bench --worker php` uses:
//   php -d opcache.enable_cli=1 -d opcache.jit_buffer_size=64M -d opcache.jit=tracing \
//       xtask/src/bench/php-bench.php

declare(strict_types=1);

require __DIR__ . '/php-worker.php';

$testdata = __DIR__ . '/../../go-worker/testdata';
foreach (['vector_a', 'realistic'] as $name) {
    $context = hex2bin(trim(file_get_contents("$testdata/{$name}_request.hex")));
    $wire = frame(CODEC_PROTO, [strlen($context)], $context);
    $in = fopen('php://memory', 'r+');
    $out = fopen('php://memory', 'w+');
    fwrite($in, $wire);
    $results = [];
    for ($run = 0; $run < 5; $run++) {
        $n = 0;
        $start = hrtime(true);
        do {
            for ($i = 0; $i < 1000; $i++) {
                rewind($in);
                rewind($out);
                step($in, $out);
            }
            $n += 1000;
            $elapsed = hrtime(true) - $start;
        } while ($elapsed < 1e9);
        $results[] = $elapsed / $n;
    }
    sort($results);
    printf(
        "php step/%s: median %.0f ns/op (min %.0f, max %.0f; 5 runs of >= 1 s)\n",
        $name,
        $results[2],
        $results[0],
        $results[4]
    );
}
