// Intake: turning a submission into files for a box.
