#!/usr/bin/env python3
"""Instructions per call of each contender of a bench (`signup` or `redact`), counted by callgrind.

Wall-clock time on a shared machine is noisy; instruction counts are not. For each benchmark,
this runs the compiled bench binary under `valgrind --tool=callgrind` twice (criterion's
`--profile-time 1` and `--profile-time 4`), takes the inclusive instruction count (Ir) and the
number of calls of the function that does the validation, and divides the differences, so that
one-off costs (compiling the regexes, criterion's setup) cancel out.

Usage (after `cargo bench -p palisade-benches --bench signup --no-run`, or `redact`, `stack`):

    python3 benches/instructions.py target/release/deps/signup-<hash>
    python3 benches/instructions.py target/release/deps/redact-<hash>

Needs valgrind (callgrind). Takes about two minutes.
"""

import re
import subprocess
import sys
import tempfile

# The functions that each benchmark times: the validation call, not criterion's loop. The drop
# of the returned errors happens in the caller, so it is not counted for any contender.
VALIDATE_WITH = "palisade::sanitized::Sanitized::validate_with"
CONTENDERS = {
    "hand_written": ["signup::validate_by_hand"],
    "palisade_validate": [VALIDATE_WITH],
    "validator": ["<signup::with_validator::Signup as validator::traits::Validate>::validate"],
    "garde": ["garde::validate::Validate::validate"],
    "hand_written_sanitize_validate": ["signup::sanitize_and_validate_by_hand"],
    "palisade_sanitize_validate": [
        VALIDATE_WITH,
        "<signup::with_palisade::Signup as palisade::sanitized::Sanitized>::sanitize",
    ],
}


def inclusive(binary, bench, functions, seconds, out):
    """Calls and inclusive Ir of each function, from one callgrind run."""
    subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", binary,
         "--bench", "--profile-time", str(seconds), f"{bench}$"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
    )
    totals = {function: [0, 0] for function in functions}
    names, callee, counting = {}, None, None
    with open(out) as lines:
        for line in lines:
            if counting is not None:
                # The line after `calls=` holds the inclusive cost of those calls.
                totals[counting][1] += int(line.split()[1])
                counting = None
                continue
            named = re.match(r"(c?)fn=\((\d+)\)(?: (.*))?", line)
            if named:
                if named.group(3):
                    names[named.group(2)] = named.group(3).strip()
                if named.group(1):
                    callee = names.get(named.group(2))
                continue
            calls = re.match(r"calls=(\d+)", line)
            if calls and callee in totals:
                totals[callee][0] += int(calls.group(1))
                counting = callee
    return totals


# `redact`: one `Debug::fmt` call of each contender's struct per iteration.
REDACT = {
    f"{name}": [f"<redact::{module}::Customer as core::fmt::Debug>::fmt"]
    for name, module in [
        ("std_derive", "with_std"),
        ("palisade_redact", "with_palisade"),
        ("veil_redact", "with_veil"),
    ]
}

# `stack`: one request through each router, to the end of its response body.
STACK = {
    "bare_router": ["stack::request_bare"],
    "palisade_defaults": ["stack::request_palisade"],
    "hand_assembled": ["stack::request_hand"],
}

# `stack`, group `protected`: one authenticated, validated, audited POST.
PROTECTED = {
    "palisade": ["stack::protected::request_protected_palisade"],
    "hand_built": ["stack::protected::request_protected_hand"],
}

BENCHES = {
    "signup": (["signup_valid", "signup_invalid"], CONTENDERS),
    "redact": (["debug"], REDACT),
    "stack": (["stack", "protected"], None),
}


def main():
    binary = sys.argv[1]
    bench_name = binary.rsplit("/", 1)[-1].rsplit("-", 1)[0]
    groups, contenders = BENCHES[bench_name]
    with tempfile.TemporaryDirectory() as scratch:
        for group in groups:
            table = contenders or {"stack": STACK, "protected": PROTECTED}[group]
            for name, functions in table.items():
                bench = f"{group}/{name}"
                short = inclusive(binary, bench, functions, 1, f"{scratch}/short.out")
                long = inclusive(binary, bench, functions, 4, f"{scratch}/long.out")
                calls = long[functions[0]][0] - short[functions[0]][0]
                ir = sum(long[f][1] - short[f][1] for f in functions)
                print(f"{bench:48s} {ir / calls:8.0f} Ir/call  ({calls} calls)")


if __name__ == "__main__":
    main()
