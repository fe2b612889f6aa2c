#!/usr/bin/env python3
"""Turns the test cases of Google's robots.txt library into data.

usage: scripts/peers/robotstxt_cases.py SDIST_DIR > tests/data/peers/robotstxt/cases.json

SDIST_DIR is the unpacked source distribution of `gpyrobotstxt` 1.0.0 from PyPI
(`pip download --no-deps --no-binary :all: gpyrobotstxt==1.0.0`), a line-by-line port of
google/robotstxt's robots_test.cc. The port's test methods are run against a stand-in
matcher that records each question (robots.txt body, user agent, URL) and the answer the
test asserts; only those strings and answers are written, one case a question. A test whose
name starts with `ID_` checks RFC 9309; `GoogleOnly_` checks Google's own behaviour.
"""
import importlib.util
import json
import sys
import types
import unittest
from pathlib import Path


class Question:
    def __init__(self, robots, agent, url):
        self.case = {"robots": robots, "agent": agent, "url": url}


class Recorder:
    """Stands in for gpyrobotstxt's RobotsMatcher: answers with the question itself."""

    def one_agent_allowed_by_robots(self, robots, agent, url):
        return Question(robots, agent, url)

    def is_valid_user_agent_to_obey(self, agent):
        return None


def load_tests(path):
    stub = types.ModuleType("gpyrobotstxt.robots_cc")
    stub.RobotsMatcher = Recorder
    sys.modules["gpyrobotstxt"] = types.ModuleType("gpyrobotstxt")
    sys.modules["gpyrobotstxt.robots_cc"] = stub
    spec = importlib.util.spec_from_file_location("google_cases", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cases(module):
    out = []
    for cls in vars(module).values():
        if not (isinstance(cls, type) and issubclass(cls, unittest.TestCase)):
            continue
        for name in sorted(n for n in dir(cls) if n.startswith("test_")):
            test = cls(name)
            test.setUp()
            label = name[len("test_"):]

            def record(value, expected, label=label):
                if isinstance(value, Question):
                    group = "rfc" if label.startswith("ID_") else "google"
                    out.append({"test": label, "group": group, **value.case, "allowed": expected})

            test.assertTrue = lambda v, msg=None, r=record: r(v, True)
            test.assertFalse = lambda v, msg=None, r=record: r(v, False)
            getattr(test, name)()
    return out


def main():
    root = Path(sys.argv[1])
    module = load_tests(root / "test" / "test_google_only_system.py")
    json.dump(cases(module), sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
