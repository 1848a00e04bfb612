#!/usr/bin/env python3
"""A real edx-submissions 4.x server for polygrader's tests (README.md beside this file says how to use it).

Commands (any python3 >= 3.8 runs this file; the Django parts run inside the fixture's virtualenv):

  setup DIR [--venv PATH]        create (or reuse) a virtualenv with edx-submissions 4.x from PyPI, write a small
                                 Django project into DIR mounting it under /xqueue/ with SQLite, migrate, and
                                 create the grader user (grader / grader-password) in the group `xqueue`.
                                 Prints {"edx_submissions": VERSION, "venv": PATH}. Exit 3: no virtualenv possible.
  serve DIR                      serve the project on 127.0.0.1 (a free port, written to DIR/port once listening).
  submit DIR --queue Q [--answer TEXT] [--points N] [--grader NAME] [--file NAME=PATH]...
                                 create a submission waiting for an external grader; prints {"submission_id": N}.
  expire-sessions DIR            delete every Django session (the next call of a logged-in grader gets 403).
  score DIR SUBMISSION_ID        print what the server stored: {"status", "points_earned", "points_possible",
                                 "grader_reply", "num_failures"}.
"""
import argparse
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import uuid
from pathlib import Path

PACKAGES = ["edx-submissions>=4,<5", "openedx-events"]
GRADER_USER, GRADER_PASSWORD = "grader", "grader-password"
COURSE = "course-v1:Polygrader+T1+2024"
EXIT_NO_VENV = 3
HERE = Path(__file__).resolve()

SETTINGS = '''\
# A minimal Django project serving edx-submissions' XQueue-compatible endpoints (polygrader tests only).
from pathlib import Path
BASE = Path(__file__).resolve().parent
SECRET_KEY = "polygrader-fixture-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions",
    "rest_framework", "submissions",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True, "OPTIONS": {}}]
ROOT_URLCONF = "fixture_urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(BASE / "db.sqlite3"),
                         "OPTIONS": {"timeout": 30}}}
USE_TZ = True
MEDIA_ROOT = str(BASE / "media")
MEDIA_URL = "/media/"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
LOGGING = {"version": 1, "disable_existing_loggers": False,
           "handlers": {"file": {"class": "logging.FileHandler", "filename": str(BASE / "server.log")}},
           "root": {"handlers": ["file"], "level": "INFO"}}
'''

URLS = '''\
from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve

urlpatterns = [
    path("xqueue/", include("submissions.urls")),
    # Uploaded files, as an LMS with local storage serves them (MEDIA_URL).
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
]
'''


def fail(message, code=1):
    print(f"edx_fixture: {message}", file=sys.stderr)
    sys.exit(code)


def venv_python(venv):
    return Path(venv) / "bin" / "python"


def venv_ready(venv):
    python = venv_python(venv)
    if not python.exists():
        return None
    probe = ("import importlib.metadata as m, openedx_events, submissions, django; "
             "v = m.version('edx-submissions'); assert v.startswith('4.'), v; print(v)")
    result = subprocess.run([str(python), "-c", probe], capture_output=True, text=True)
    return result.stdout.strip() if result.returncode == 0 else None


def ensure_venv(venv):
    """A virtualenv with edx-submissions 4.x; reused when it already has it. Locked: tests may run in parallel."""
    venv = Path(venv)
    venv.parent.mkdir(parents=True, exist_ok=True)
    with open(str(venv) + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        version = venv_ready(venv)
        if version:
            return version
        shutil.rmtree(venv, ignore_errors=True)
        made = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True, text=True)
        if made.returncode != 0:
            shutil.rmtree(venv, ignore_errors=True)
            fail(f"cannot create a virtualenv with {sys.executable} -m venv: {made.stderr.strip()}", EXIT_NO_VENV)
        installed = subprocess.run([str(venv_python(venv)), "-m", "pip", "install", "--quiet",
                                    "--disable-pip-version-check", *PACKAGES], capture_output=True, text=True)
        if installed.returncode != 0:
            shutil.rmtree(venv, ignore_errors=True)
            fail(f"pip install {' '.join(PACKAGES)} failed:\n{installed.stdout}{installed.stderr}")
        version = venv_ready(venv)
        if not version:
            fail("edx-submissions 4.x did not import after installation")
        return version


def inside(directory, *args):
    """Runs this file's Django part with the fixture's virtualenv and returns its stdout."""
    state = json.loads((Path(directory) / "fixture.json").read_text())
    result = subprocess.run([state["python"], str(HERE), "_inside", str(directory), *args], capture_output=True, text=True)
    if result.returncode != 0:
        fail(f"{' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def cmd_setup(args):
    directory = Path(args.dir).resolve()
    project = directory / "project"
    project.mkdir(parents=True, exist_ok=True)
    venv = Path(args.venv).resolve() if args.venv else directory / "venv"
    version = ensure_venv(venv)
    (project / "fixture_settings.py").write_text(SETTINGS)
    (project / "fixture_urls.py").write_text(URLS)
    (directory / "fixture.json").write_text(json.dumps({"python": str(venv_python(venv)), "version": version}))
    inside(directory, "init")
    print(json.dumps({"edx_submissions": version, "venv": str(venv)}))


def cmd_serve(args):
    state = json.loads((Path(args.dir) / "fixture.json").read_text())
    # exec: the process the caller started is the server, so one signal stops it.
    os.execv(state["python"], [state["python"], str(HERE), "_inside", str(Path(args.dir).resolve()), "serve"])


def cmd_submit(args):
    extra = ["--queue", args.queue, "--answer", args.answer, "--points", str(args.points), "--grader", args.grader]
    for item in args.file:
        extra += ["--file", item]
    sys.stdout.write(inside(args.dir, "submit", *extra))


def cmd_expire_sessions(args):
    inside(args.dir, "expire-sessions")


def cmd_score(args):
    sys.stdout.write(inside(args.dir, "score", str(args.submission_id)))


# --- The part that runs inside the virtualenv, with Django set up. ---

def django_setup(directory):
    sys.path.insert(0, str(Path(directory) / "project"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "fixture_settings"
    import django
    django.setup()


def inside_init(_args):
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    call_command("migrate", interactive=False, verbosity=0)
    group, _ = Group.objects.get_or_create(name="xqueue")
    user, _ = User.objects.get_or_create(username=GRADER_USER)
    user.set_password(GRADER_PASSWORD)
    user.save()
    user.groups.add(group)


def inside_serve(directory):
    import socketserver
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer

    class Server(socketserver.ThreadingMixIn, WSGIServer):
        daemon_threads = True

    server = Server(("127.0.0.1", 0), WSGIRequestHandler)
    server.set_app(WSGIHandler())
    port_file = Path(directory) / "port"
    (Path(directory) / "port.tmp").write_text(str(server.server_address[1]))
    os.replace(Path(directory) / "port.tmp", port_file)
    server.serve_forever()


def inside_submit(args):
    from django.core.files.base import ContentFile
    from submissions.api import create_external_grader_detail

    class Upload:  # what create_external_grader_detail reads: an object with a Django File in `.file`
        def __init__(self, name, data):
            self.file = ContentFile(data, name=name)

    files = {}
    for item in args.file:
        name, _, path = item.partition("=")
        files[name] = Upload(name, Path(path).read_bytes())
    student = {"student_id": "student-" + uuid.uuid4().hex[:8], "course_id": COURSE,
               "item_id": f"block-v1:Polygrader+T1+2024+type@problem+block@{args.queue}", "item_type": "problem"}
    detail = create_external_grader_detail(student, args.answer, queue_name=args.queue, queue_key=uuid.uuid4().hex,
                                           grader_file_name=args.grader, points_possible=args.points,
                                           **({"files": files} if files else {}))
    print(json.dumps({"submission_id": detail.submission.id}))


def inside_expire_sessions(_args):
    from django.contrib.sessions.models import Session
    Session.objects.all().delete()


def inside_score(args):
    from submissions.api import get_latest_score_for_submission
    from submissions.models import ExternalGraderDetail
    detail = ExternalGraderDetail.objects.select_related("submission").get(submission__id=args.submission_id)
    score = get_latest_score_for_submission(str(detail.submission.uuid))
    print(json.dumps({"status": detail.status, "num_failures": detail.num_failures, "grader_reply": detail.grader_reply,
                      "points_earned": score["points_earned"] if score else None,
                      "points_possible": score["points_possible"] if score else None}))


def main():
    # A test runner may start us with most signals blocked (a thread's mask survives exec): unblock them and
    # restore the default SIGTERM and SIGINT, so that the caller can stop the server.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, signal.valid_signals())
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    if len(sys.argv) > 3 and sys.argv[1] == "_inside":
        directory, action, rest = sys.argv[2], sys.argv[3], sys.argv[4:]
        django_setup(directory)
        parser = argparse.ArgumentParser(prog="edx_fixture _inside")
        if action == "submit":
            add_submit_options(parser)
        if action == "score":
            parser.add_argument("submission_id", type=int)
        args = parser.parse_args(rest)
        if action == "serve":
            return inside_serve(directory)
        actions = {"init": inside_init, "submit": inside_submit, "score": inside_score,
                   "expire-sessions": inside_expire_sessions}
        return actions[action](args)

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    setup = commands.add_parser("setup")
    setup.add_argument("dir")
    setup.add_argument("--venv", help="virtualenv to create or reuse (default DIR/venv)")
    commands.add_parser("serve").add_argument("dir")
    submit = commands.add_parser("submit")
    submit.add_argument("dir")
    add_submit_options(submit)
    commands.add_parser("expire-sessions").add_argument("dir")
    score = commands.add_parser("score")
    score.add_argument("dir")
    score.add_argument("submission_id", type=int)
    args = parser.parse_args()
    {"setup": cmd_setup, "serve": cmd_serve, "submit": cmd_submit, "expire-sessions": cmd_expire_sessions,
     "score": cmd_score}[args.command](args)


def add_submit_options(parser):
    parser.add_argument("--queue", required=True)
    parser.add_argument("--answer", default="")
    parser.add_argument("--points", type=int, default=1)
    parser.add_argument("--grader", default="grader.py", help="grader file name (the payload's `grader`)")
    parser.add_argument("--file", action="append", default=[], metavar="NAME=PATH", help="an uploaded file")


if __name__ == "__main__":
    main()
