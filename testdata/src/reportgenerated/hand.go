package reportgenerated

func handTarget() {} // want `call-target: call to handTarget`

func handCallsHand() {
	handTarget() // want `call-target: call to handTarget`
}
