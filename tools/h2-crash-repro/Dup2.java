import java.sql.*;
import java.util.*;
public class Dup2 { public static void main(String[] a) throws Exception {
  Connection c = DriverManager.getConnection("jdbc:h2:file:"+a[0]+";DB_CLOSE_ON_EXIT=FALSE"); Statement s = c.createStatement();
  List<String[]> l = new ArrayList<>();
  ResultSet rs = s.executeQuery("SELECT id, _ROWID_, status, due_at FROM delivery USE INDEX (delivery_claim) WHERE status >= ''");
  while (rs.next()) l.add(new String[]{rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)});
  Map<String,Integer> seen = new HashMap<>();
  for (int i = 0; i < l.size(); i++) { Integer p = seen.put(l.get(i)[0], i); if (p != null) {
    for (int j : new int[]{p, i}) for (int k = Math.max(0,j-2); k <= Math.min(l.size()-1, j+2); k++) System.out.println((k==j?"* ":"  ") + k + " " + String.join(" ", l.get(k)));
  }}
  int bad=0; for (int i = 1; i < l.size(); i++) if (Long.parseLong(l.get(i)[3]) < Long.parseLong(l.get(i-1)[3])) bad++;
  System.out.println("out-of-order adjacent pairs (by table due_at): " + bad);
}}
