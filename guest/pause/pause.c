/*
 * The pod sandbox's pause process, for sandboxes whose images are pulled in the guest: Kata's agent runs the pause
 * container from a bundle in the guest image instead of pulling a pause image. It holds the pod's namespaces open,
 * reaps the children it inherits and exits 0 on SIGINT or SIGTERM, as Kubernetes' pause does.
 */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static void stop(int signal)
{
    (void)signal;
    _exit(0);
}

static void reap(int signal)
{
    (void)signal;
    while (waitpid(-1, NULL, WNOHANG) > 0) {
    }
}

int main(void)
{
    struct sigaction action = { 0 };
    action.sa_handler = stop;
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    action.sa_handler = reap;
    action.sa_flags = SA_NOCLDSTOP;
    sigaction(SIGCHLD, &action, NULL);
    for (;;) {
        pause();
    }
}
