enum _PDashboard {}
