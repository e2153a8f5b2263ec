#ifndef ANNEAL_PROCESS_CONTROL_H
#define ANNEAL_PROCESS_CONTROL_H

/// Asks the kernel to send `signal` to this process when its parent dies
/// (Linux prctl PR_SET_PDEATHSIG); returns 0 on success, -1 elsewhere.
int anneal_set_parent_death_signal(int signal);

/// A file descriptor that becomes readable when child `pid` ends (Linux
/// pidfd_open, kernel 5.3 and later); -1 where there is none.
int anneal_pidfd_open(int pid);

#endif
