<?php
// A minimal RoadRunner HTTP worker in plain PHP, for `cargo xtask bench --worker php` only
// (a manual comparison: PHP is not part of CI).
//
// It speaks goridge frames over stdin/stdout directly, without the PHP libraries (those come
// from Packagist, which this project cannot reach): it answers the pid handshake, decodes each
// http.v1.Request protobuf context into an array (as the PHP library's Request DTO would hold
// it), answers 200 "Hello RoadRunner!" with an http.v1.Response context and frame flags 0x80,
// and exits on {"stop":true}. Doing less than spiral/roadrunner-http does (no PSR-7 objects, no
// google/protobuf message classes), it is a lower bound of what a PHP worker costs.

declare(strict_types=1);

const BODY = 'Hello RoadRunner!';
const CONTROL = 0x01;
const CODEC_PROTO = 0x80;
const STREAM_STOP = 0x02;
const STREAM_PONG = 0x08;

function read_exact($in, int $n): ?string
{
    $buf = '';
    while (strlen($buf) < $n) {
        $chunk = fread($in, $n - strlen($buf));
        if ($chunk === false || $chunk === '') {
            if (feof($in)) {
                return null;
            }
            continue;
        }
        $buf .= $chunk;
    }
    return $buf;
}

/** One frame: header length in words is 3 + number of options. */
function frame(int $flags, array $options, string $payload): string
{
    $head = chr(0x10 | (3 + count($options))) . chr($flags) . pack('V', strlen($payload));
    $head .= pack('V', crc32($head)) . "\x00\x00";
    foreach ($options as $option) {
        $head .= pack('V', $option);
    }
    return $head . $payload;
}

function varint(string $s, int &$p): int
{
    $result = 0;
    $shift = 0;
    do {
        $b = ord($s[$p++]);
        $result |= ($b & 0x7f) << $shift;
        $shift += 7;
    } while ($b & 0x80);
    return $result;
}

function encode_varint(int $v): string
{
    $out = '';
    while ($v >= 0x80) {
        $out .= chr(($v & 0x7f) | 0x80);
        $v >>= 7;
    }
    return $out . chr($v);
}

/** A map<string, HeaderValue> entry: [name, [values…]]. */
function decode_entry(string $s): array
{
    $p = 0;
    $n = strlen($s);
    $key = '';
    $values = [];
    while ($p < $n) {
        $tag = varint($s, $p);
        $len = varint($s, $p);
        $v = substr($s, $p, $len);
        $p += $len;
        if ($tag === 0x0a) {
            $key = $v;
        } elseif ($tag === 0x12) {
            // HeaderValue { repeated bytes value = 1; }
            $q = 0;
            $m = strlen($v);
            while ($q < $m) {
                varint($v, $q); // tag 0x0a
                $l = varint($v, $q);
                $values[] = substr($v, $q, $l);
                $q += $l;
            }
        }
    }
    return [$key, $values];
}

/** http.v1.Request → the array the PHP library's request DTO would hold. */
function decode_request(string $s): array
{
    $req = [
        'remoteAddr' => '', 'protocol' => '', 'method' => '', 'uri' => '',
        'headers' => [], 'cookies' => [], 'rawQuery' => '', 'parsed' => false,
        'uploads' => '', 'attributes' => [],
    ];
    static $names = [1 => 'remoteAddr', 2 => 'protocol', 3 => 'method', 4 => 'uri', 7 => 'rawQuery', 9 => 'uploads'];
    static $maps = [5 => 'headers', 6 => 'cookies', 10 => 'attributes'];
    $p = 0;
    $n = strlen($s);
    while ($p < $n) {
        $key = varint($s, $p);
        $field = $key >> 3;
        $wire = $key & 7;
        if ($wire === 0) {
            $v = varint($s, $p);
            if ($field === 8) {
                $req['parsed'] = $v !== 0;
            }
            continue;
        }
        if ($wire !== 2) {
            throw new RuntimeException("unexpected wire type $wire in field $field");
        }
        $len = varint($s, $p);
        $v = substr($s, $p, $len);
        $p += $len;
        if (isset($names[$field])) {
            $req[$names[$field]] = $v;
        } elseif (isset($maps[$field])) {
            [$name, $values] = decode_entry($v);
            $req[$maps[$field]][$name] = $values;
        }
    }
    return $req;
}

/** Receives one frame from $in and answers it on $out; false when the server asked to stop. */
function step($in, $out): bool
{
    $header = read_exact($in, 12);
    if ($header === null) {
        return false;
    }
    $hl = ord($header[0]) & 0x0f;
    $flags = ord($header[1]);
    $len = unpack('V', $header, 2)[1];
    if (unpack('V', $header, 6)[1] !== crc32(substr($header, 0, 6))) {
        throw new RuntimeException('bad CRC');
    }
    $options = $hl > 3 ? array_values(unpack('V*', read_exact($in, ($hl - 3) * 4))) : [];
    $payload = $len > 0 ? read_exact($in, $len) : '';

    if ($flags & CONTROL) {
        $cmd = json_decode($payload, true);
        if (!empty($cmd['stop'])) {
            return false;
        }
        if (isset($cmd['pid'])) {
            fwrite($out, frame(CONTROL, [], json_encode(['pid' => getmypid()])));
            fflush($out);
        }
        return true;
    }
    if (ord($header[10]) & (STREAM_STOP | STREAM_PONG)) {
        return true; // leftovers of a finished stream
    }
    $request = decode_request(substr($payload, 0, $options[0] ?? 0));
    if ($request['method'] === '') {
        throw new RuntimeException('request without a method');
    }
    $context = "\x08" . encode_varint(200); // http.v1.Response { status: 200 }
    fwrite($out, frame(CODEC_PROTO, [strlen($context)], $context . BODY));
    fflush($out);
    return true;
}

// Run as a worker unless included (by php-bench.php).
if (get_included_files()[0] === __FILE__) {
    while (step(STDIN, STDOUT)) {
    }
}
