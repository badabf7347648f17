# SPDX-License-Identifier: GPL-2.0
# Bash completion for forkscope: subcommands, their options, demo names, event types and session logs.
# Installed as PREFIX/share/bash-completion/completions/forkscope; works without bash-completion too.

# Session logs (*.jsonl) and directories to walk into.
_forkscope_logs() {
	compopt -o filenames 2>/dev/null
	COMPREPLY+=($(compgen -d -- "$1") $(compgen -f -X '!*.jsonl' -- "$1"))
}

_forkscope_demos() {
	local fs=${COMP_WORDS[0]}
	COMPREPLY+=($(compgen -W "$("$fs" demo --list 2>/dev/null | awk '{ print $1 }')" -- "$1"))
}

# A comma-separated list (--type, --step=): complete its last item from the words in $2.
_forkscope_list() {
	local prefix="" last=$1
	if [[ $1 == *,* ]]; then
		prefix=${1%,*},
		last=${1##*,}
	fi
	compopt -o nospace 2>/dev/null
	COMPREPLY+=($(compgen -P "$prefix" -W "$2" -- "$last"))
}

_forkscope_types() {
	_forkscope_list "$1" "fork fork_return exec exit reap reparent state signal ipc mark lost output total existing cgroup step answer"
}

# The values of the options every command takes (--lang, --color); 1 when $1 is neither.
_forkscope_global_arg() {
	case $1 in
	--lang) COMPREPLY=($(compgen -W "zh en" -- "$2")) ;;
	--color) COMPREPLY=($(compgen -W "auto always never" -- "$2")) ;;
	*) return 1 ;;
	esac
}

# The cgroup v2 mount: /sys/fs/cgroup, or /sys/fs/cgroup/unified on a hybrid system.
_forkscope_v2() {
	awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts 2>/dev/null
}

# --cgroup: an absolute directory, or one relative to the v2 mount.
_forkscope_cgroups() {
	local v2
	compopt -o filenames 2>/dev/null
	if [[ $1 == /* ]]; then
		COMPREPLY+=($(compgen -d -- "$1"))
	elif v2=$(_forkscope_v2) && [[ -n $v2 ]]; then
		COMPREPLY+=($(cd "$v2" && compgen -d -- "$1"))
	fi
}

# --unit: systemd's units when it runs, else the unit-named directories of the v2 hierarchy.
_forkscope_units() {
	local v2 units
	if [[ -d /run/systemd/system ]]; then
		units=$(systemctl list-units --all --plain --no-legend 2>/dev/null | awk '{ print $1 }')
	elif v2=$(_forkscope_v2) && [[ -n $v2 ]]; then
		units=$(find "$v2" -maxdepth 4 -type d \( -name '*.service' -o -name '*.scope' -o -name '*.slice' \) \
			-printf '%f\n' 2>/dev/null)
	fi
	COMPREPLY+=($(compgen -W "$units" -- "$1"))
}

# The position of the subcommand (after the global options), or nothing.
_forkscope_subcommand() {
	local i
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--lang | --color) # its argument is no subcommand, nor the = bash splits off --color=WHEN
			((i++))
			[[ ${COMP_WORDS[i]} == = ]] && ((i++))
			;;
		-*) ;;
		*) echo "$i"; return ;;
		esac
	done
}

_forkscope() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local sub_at sub i operands=0 word opt=$prev eq=0
	local commands="record run demo replay dump lesson export"
	# what every command takes, besides its own options (-V only before a command)
	local globals="-q --quiet -v --verbose --lang --color -h --help"
	COMPREPLY=()

	# the option whose argument this is, also written --opt=ARG (bash splits at the =)
	if [[ $cur == = ]]; then
		cur="" eq=1
	elif [[ $prev == = ]]; then
		opt=${COMP_WORDS[COMP_CWORD - 2]} eq=1
	fi
	_forkscope_global_arg "$opt" "$cur" && return 0

	sub_at=$(_forkscope_subcommand)
	if [[ -z $sub_at ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$globals -V --version" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		fi
		return 0
	fi
	sub=${COMP_WORDS[sub_at]}

	# what the previous option wants as its argument
	case $sub:$opt in
	*:-o | *:--output) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")); return 0 ;;
	record:--demo) _forkscope_demos "$cur"; return 0 ;;
	*:--ring-mb) COMPREPLY=($(compgen -W "1 2 4 8 16 32 64 128 256 512 1024" -- "$cur")); return 0 ;;
	replay:-s | replay:--speed) COMPREPLY=($(compgen -W "0.25 0.5 1 2 4 8" -- "$cur")); return 0 ;;
	export:-f | export:--format) COMPREPLY=($(compgen -W "perfetto svg jsonl text" -- "$cur")); return 0 ;;
	export:--type) _forkscope_types "$cur"; return 0 ;;
	record:--pid | run:--pid) COMPREPLY=($(compgen -W "$(ps -eo pid= 2>/dev/null)" -- "$cur")); return 0 ;;
	record:--cgroup | run:--cgroup) _forkscope_cgroups "$cur"; return 0 ;;
	record:--unit | run:--unit) _forkscope_units "$cur"; return 0 ;;
	export:--pid | export:--from | export:--to | *:--umask) return 0 ;;
	esac
	# --step's list is optional, so only --step=LIST gives it: after "--step " comes the command
	if [[ $opt == --step && $eq == 1 && ($sub == run || $sub == demo) ]]; then
		_forkscope_list "$cur" "fork exec exit mark"
		return 0
	fi

	# the command that record and run trace: after "--" or the first operand, plain completion
	for ((i = sub_at + 1; i < COMP_CWORD; i++)); do
		word=${COMP_WORDS[i]}
		case $word in
		--) operands=$((operands + COMP_CWORD - i - 1)); break ;;
		=) ((i++)) ;; # the ARG of --opt=ARG (--step=LIST, --color=WHEN) is no operand
		-f | -o | --output | --demo | --ring-mb | --umask | -s | --speed | --format | --type | --pid | \
			--cgroup | --unit | --from | --to | --lang | --color)
			# export's -f is --format; elsewhere it is --force, which takes nothing
			[[ $word == -f && $sub != export ]] && continue
			((i++))
			[[ ${COMP_WORDS[i]} == = ]] && ((i++))
			;;
		-*) ;;
		*) ((operands++)) ;;
		esac
	done

	if [[ $cur == -* ]]; then
		case $sub in
		record) word="-o --output -f --force -p --print --demo --pid --cgroup --unit --as-root --ring-mb --umask --no-bpf" ;;
		run) word="-o --output -f --force -p --print --pid --cgroup --unit --as-root --ring-mb --umask --no-bpf --step --predict" ;;
		demo) word="--list -o --output -f --force -p --print --as-root --ring-mb --umask --no-bpf --step --predict" ;;
		replay) word="-s --speed --headless" ;;
		dump) word="-j --json" ;;
		lesson) word="" ;;
		export) word="-f --format -o --output --pid --type --from --to" ;;
		esac
		COMPREPLY=($(compgen -W "$word $globals" -- "$cur"))
		return 0
	fi
	case $sub in
	record | run)
		if ((operands == 0)); then
			COMPREPLY=($(compgen -c -- "$cur"))
		else
			compopt -o default 2>/dev/null
		fi
		;;
	demo) ((operands == 0)) && _forkscope_demos "$cur" ;;
	lesson)
		if ((operands == 0)); then
			_forkscope_demos "$cur"
		elif ((operands == 1)); then
			_forkscope_logs "$cur"
		fi
		;;
	replay | dump | export) ((operands == 0)) && _forkscope_logs "$cur" ;;
	esac
	return 0
}

complete -F _forkscope forkscope
