#!/bin/sh
# Live call screening (`scan --model "" --stream --channel call`) as a black box: turns
# go in one line at a time, the alert must name the turn where the score
# crossed the threshold, stages come in order, and the final verdict ends
# the output.  Also checks the JSON protocol and a clean call.  Without the
# learned model (--model ''), so the figures depend on the rules only.
set -u
: "${TSGUARD_BIN:?}"
fail=0
check() { # name, haystack, needle
	case $2 in *"$3"*) ;; *) echo "FAIL $1: missing '$3' in:"; printf '%s\n' "$2"; fail=1 ;; esac
}
turns='Hello, I am calling from Microsoft technical department.
{"speaker": "callee", "text": "Okay, what is this about?"}
Your computer is sending error messages to our server and hackers are in your computer.
Oh no.
Please download any desk so I can fix it, then read me the nine digit ID.
The charge for the lifetime protection is 299 dollars, pay with Google Play cards.'
out=$(printf '%s\n' "$turns" | "$TSGUARD_BIN" scan --model "" --stream --channel call -)
rc=$?
check plain "$out" "STAGE 1 turn 0:"
check plain "$out" "STAGE 2 turn 2:"
check plain "$out" "STAGE 3 turn 4:"
check plain "$out" "STAGE 4 turn 5:"
check plain "$out" "ALERT turn "
check plain "$out" "FINAL scam score"
[ $rc -eq 1 ] || { echo "FAIL exit status $rc, want 1"; fail=1; }
# The alert comes once, before the final line.
[ "$(printf '%s\n' "$out" | grep -c '^ALERT')" -eq 1 ] || { echo "FAIL alert count"; fail=1; }
[ "$(printf '%s\n' "$out" | tail -n 1 | cut -c1-5)" = FINAL ] || { echo "FAIL last line"; fail=1; }

js=$(printf '%s\n' "$turns" | "$TSGUARD_BIN" scan --model "" --stream --json --channel call -)
check json "$js" '{"event":"stage","stage":1,"turn":0'
check json "$js" '{"event":"alert","turn":'
check json "$js" '{"event":"final","turns":6'

clean=$(printf 'Hi, this is the dentist office.\nYour appointment is on Tuesday.\n' |
	"$TSGUARD_BIN" scan --model "" --stream --channel call -)
rc=$?
check clean "$clean" "FINAL clean score"
case $clean in *ALERT*) echo "FAIL clean call alerted"; fail=1 ;; esac
[ $rc -eq 0 ] || { echo "FAIL clean exit $rc"; fail=1; }

# A Spanish call: the four stages, each reason in Spanish.
es=$(printf '%s\n' 'Hola, le llamamos del soporte técnico de Microsoft.' \
	'Hemos detectado un virus en su ordenador.' \
	'Por favor descargue AnyDesk y díganos el código.' \
	'El servicio cuesta 299 euros, puede pagar con tarjetas de Google Play.' |
	"$TSGUARD_BIN" scan --model "" --stream --channel call -)
check es "$es" "STAGE 1 turn 0: Quien llama dice llamar"
check es "$es" "STAGE 2 turn 1: Dice que su equipo"
check es "$es" "STAGE 3 turn 2:"
check es "$es" "STAGE 4 turn 3:"
check es "$es" "FINAL scam score"

empty=$(printf '' | "$TSGUARD_BIN" scan --model "" --stream --channel call -)
check empty "$empty" "FINAL clean score 0.00 turns 0"
echo "stream: $([ $fail -eq 0 ] && echo ok || echo FAILED)"
exit $fail
