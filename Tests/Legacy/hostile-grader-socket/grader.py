import errno
import socket

from grader_support import gradelib


def reach(label, family, kind, address):
    s = socket.socket(family, kind)
    s.settimeout(1)
    try:
        s.connect(address)
        return "%s: LEAK connected" % label
    except socket.timeout:
        return "%s: LEAK timeout (a route existed)" % label
    except OSError as e:
        return "%s: %s" % (label, errno.errorcode.get(e.errno, e.errno))
    finally:
        s.close()


AT_IMPORT = reach("8.8.8.8:53 tcp", socket.AF_INET, socket.SOCK_STREAM, ("8.8.8.8", 53))
grader = gradelib.Grader()
grader.add_test(gradelib.Test(
    lambda submission: print(AT_IMPORT, reach("8.8.8.8:53 udp", socket.AF_INET, socket.SOCK_DGRAM, ("8.8.8.8", 53)),
                             submission.square(3)),
    "Test: network"))
