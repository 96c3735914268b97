"""Small helpers to drive Attest's real window through the accessibility tree (AT-SPI)."""
import os
import subprocess
import sys
import time

import pyatspi


# The sanitizer build runs everything several times slower (tests/meson.build sets this); a
# wait scales with it rather than fail on a window that is merely slow.
SLOWDOWN = float(os.environ.get("ATTEST_TEST_SLOWDOWN", "1"))


def wait_for(what, probe, timeout=20.0):
    deadline = time.monotonic() + timeout * SLOWDOWN
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def walk(node, newest_first=False):
    """Every node under node. A window that closes while we look (a file chooser) is skipped.
    newest_first visits the last children first: what was just added (a toast) is found before
    a whole window has been read."""
    yield node
    try:
        count = node.childCount
    except Exception:
        return
    for i in (reversed(range(count)) if newest_first else range(count)):
        try:
            child = node.getChildAtIndex(i)
        except Exception:
            continue
        if child is not None:
            yield from walk(child, newest_first)


def find(root, pred, newest_first=False):
    for node in walk(root, newest_first):
        try:
            if pred(node):
                return node
        except Exception:
            pass
    return None


def find_near(root, pred, max_depth=8):
    """find, breadth first and no deeper than max_depth: for what shows near the top of a
    window for a short time (a toast), which a whole walk of a slow window (the sanitizer
    build) can reach too late."""
    level = [root]
    for _ in range(max_depth + 1):
        below = []
        for node in level:
            try:
                if pred(node):
                    return node
                below += [node.getChildAtIndex(i) for i in range(node.childCount)]
            except Exception:
                continue
        level = [n for n in below if n is not None]
        if not level:
            break
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
                # GTK 4.8 does not announce every child it adds or shows, so a cached list of
                # children goes stale: ask the application each time instead
                try:
                    app.set_cache_mask(0)
                except Exception:
                    pass
                return app
        return None
    return wait_for(f"application {name}", probe, timeout=60)


def click(node):
    """Presses a button. A GtkMenuButton carries its name on the outside and its action on the
    toggle button inside, so the first node below with an action does."""
    for n in walk(node):
        try:
            action = n.queryAction()
        except NotImplementedError:
            continue
        if action.nActions == 0:
            continue
        for i in range(action.nActions):
            if action.getName(i) in ("click", "activate", "press"):
                action.doAction(i)
                return
        action.doAction(0)
        return
    raise AssertionError(f"nothing to press in {node.name!r}")


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


def start_attest(data_dir, lang="en", args=()):
    env = dict(os.environ, GTK_A11Y="atspi", ATTEST_DATA_DIR=data_dir, GSETTINGS_BACKEND="memory")
    if lang == "zh_CN":
        env.update(LANGUAGE="zh_CN", LANG="zh_CN.UTF-8", LC_ALL="zh_CN.UTF-8")
    else:
        env.update(LANGUAGE="en", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    # A program that cannot reach the display exits at once; the X server has been seen to
    # refuse the first connection after another server on the machine went away, so try again.
    for attempt in range(3):
        proc = subprocess.Popen([os.environ["ATTEST"], *args], env=env)
        try:
            proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            return proc
        print(f"start_attest: attest exited with {proc.returncode} at start (attempt {attempt + 1})", file=sys.stderr)
        time.sleep(1)
    raise AssertionError("attest does not start")


def showing(node):
    """Laid out on screen. GTK 4.8 exposes the widgets of hidden stack pages too, and sets no
    SHOWING state; a widget that is not mapped has no size."""
    while node is not None:
        try:
            e = node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
            return e.width > 0 and e.height > 0
        except NotImplementedError:
            node = node.parent   # some widgets (text views) have no Component: ask the parent
        except Exception:
            return False
    return False


def text_of(node):
    t = node.queryText()
    return t.getText(0, t.characterCount)


def press_key(keys):
    """Types keys (xdotool syntax, e.g. "3", "alt+Down") into the focused window. There is no
    window manager under Xvfb, so the pointer is moved over the window first: X then sends the
    keyboard there."""
    subprocess.run(["xdotool", "mousemove", "600", "400"], check=False)
    subprocess.run(["xdotool", "key", "--clearmodifiers", keys], check=True)
    time.sleep(0.3)


def choose_path(app, title, path, accept):
    """Picks path in GTK's own file chooser titled title (there is no portal under Xvfb): Ctrl+L,
    the path typed, the button whose name holds accept pressed; returns once the chooser has
    gone. GTK 4.8's chooser, opened on its Recent list, can still be changing to the folder
    typed when the button is pressed, and then ignores the press: the path is set and the
    button pressed again until it goes (seen once in five runs with the cairo renderer)."""
    chooser = wait_for(title + " chooser", lambda: window_named(app, title))
    press_key("ctrl+l")
    location = wait_for("location entry", lambda: find(chooser, lambda n: n.getRoleName() == "text" and showing(n)))
    set_text(location, path)
    button = wait_for(accept, lambda: find(chooser, lambda n: accept in (n.name or "").replace("_", "")
                                           and n.getRoleName() == "push button"))
    for attempt in range(5):
        click(button)
        deadline = time.monotonic() + 3 * SLOWDOWN
        while time.monotonic() < deadline:
            if not showing(chooser) or not showing(location):
                return
            time.sleep(0.05)
        print(f"choose_path: the chooser is still there after pressing {accept!r} (attempt {attempt + 1})",
              file=sys.stderr)
        set_text(location, path)
    raise AssertionError(f"the {title} chooser does not take {path}")


def window_named(app, name, having=None):
    """A toplevel window of the application (a dialog is a "dialog" or a "frame"); with having,
    the one that holds such a node (a file chooser and the dialog after it may share a title)."""
    for i in range(app.childCount):
        try:
            w = app.getChildAtIndex(i)
            if w is not None and w.name == name and (having is None or find(w, having)):
                return w
        except Exception:
            continue
    return None


def screenshot_window(title, name):
    """Only the window titled title (there is no window manager to frame it): for the README."""
    out_dir = os.environ.get("ATTEST_SCREENSHOT_DIR")
    if not out_dir:
        return
    os.makedirs(out_dir, exist_ok=True)
    time.sleep(0.6)  # let the last frame reach the screen
    ids = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", f"^{title}$"],
                         capture_output=True, text=True).stdout.split()
    # GTK names its popovers after the window too: the biggest one is the window
    def area(wid):
        geo = subprocess.run(["xdotool", "getwindowgeometry", wid], capture_output=True, text=True).stdout
        try:
            w, h = geo.split("Geometry:")[1].split()[0].split("x")
            return int(w) * int(h)
        except (IndexError, ValueError):
            return 0
    target = max(ids, key=area) if ids else "root"
    subprocess.run(["import", "-window", target, os.path.join(out_dir, name + ".png")], check=False)
