"""Small helpers to drive Attest's real window through the accessibility tree (AT-SPI)."""
import os
import subprocess
import time

import pyatspi


def wait_for(what, probe, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def walk(node):
    yield node
    for i in range(node.childCount):
        child = node.getChildAtIndex(i)
        if child is not None:
            yield from walk(child)


def find(root, pred):
    for node in walk(root):
        try:
            if pred(node):
                return node
        except Exception:
            pass
    return None


def find_all(root, pred):
    out = []
    for node in walk(root):
        try:
            if pred(node):
                out.append(node)
        except Exception:
            pass
    return out


def named(name, role=None):
    return lambda n: n.name == name and (role is None or n.getRoleName() == role)


def app_named(name):
    def probe():
        for app in pyatspi.Registry.getDesktop(0):
            if app is not None and app.name == name:
                return app
        return None
    return wait_for(f"application {name}", probe)


def click(node):
    action = node.queryAction()
    for i in range(action.nActions):
        if action.getName(i) in ("click", "activate", "press"):
            action.doAction(i)
            return
    action.doAction(0)


def set_text(node, text):
    node.queryEditableText().setTextContents(text)


def is_sensitive(node):
    return node.getState().contains(pyatspi.STATE_SENSITIVE)


def screenshot(name):
    out_dir = os.environ.get("ATTEST_SCREENSHOT_DIR")
    if not out_dir:
        return
    os.makedirs(out_dir, exist_ok=True)
    subprocess.run(["import", "-window", "root", os.path.join(out_dir, name + ".png")], check=False)


def start_attest(data_dir, lang="en"):
    env = dict(os.environ, GTK_A11Y="atspi", ATTEST_DATA_DIR=data_dir, GSETTINGS_BACKEND="memory")
    if lang == "zh_CN":
        env.update(LANGUAGE="zh_CN", LANG="zh_CN.UTF-8", LC_ALL="zh_CN.UTF-8")
    else:
        env.update(LANGUAGE="en", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    return subprocess.Popen([os.environ["ATTEST"]], env=env)
